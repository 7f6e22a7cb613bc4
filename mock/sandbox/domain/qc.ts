// QC records: 1 to 4 per catalogue goods item (two goods in three have any), completed between January and
// mid-November 2026, generated once at start-up from a seeded PRNG and held in memory (about 2,000 records).
// The latest record of goods "123456" (source 1) is the spec's example. No other record completes on
// 2026-06-01 or 2026-06-02, so the guide's own page request (that window) answers exactly that one record.
import type { RequestBody, SuccessData } from "../operation-types.ts";
import { catalogueIds, deepFreeze, EXAMPLE_GOODS_ID, type GoodsSource, SOURCES } from "./catalogue.ts";
import { formatCst, parseCst } from "./platform-time.ts";
import { seededRng } from "./prng.ts";

export type QcDetail = SuccessData<"getGoodsQcDetail">;
export type QcPage = SuccessData<"pageGoodsQc">;

export interface QcRecord {
  source: GoodsSource;
  createTime: string;
  detail: QcDetail;
}

const FIRST_COMPLETION = parseCst("2026-01-05 00:00:00") as number;
const LAST_COMPLETION = parseCst("2026-11-15 23:59:59") as number;
const EXAMPLE_WINDOW_START = parseCst("2026-06-01 00:00:00") as number;
const EXAMPLE_WINDOW_END = parseCst("2026-06-02 23:59:59") as number;
const HOUR = 3_600_000;

/** Newest completion first, then goods ID, then source, then creation: a total order, so pages never overlap. */
function compareRecords(a: QcRecord, b: QcRecord): number {
  if (a.detail.completionTime !== b.detail.completionTime)
    return a.detail.completionTime < b.detail.completionTime ? 1 : -1;
  if (a.detail.goodsId !== b.detail.goodsId) return a.detail.goodsId < b.detail.goodsId ? -1 : 1;
  if (a.source !== b.source) return a.source - b.source;
  return a.createTime < b.createTime ? -1 : a.createTime > b.createTime ? 1 : 0;
}

function generateRecord(goodsId: string, source: GoodsSource, n: number): QcRecord {
  const rng = seededRng(`qc:${source}:${goodsId}:${n}`);
  let completion = FIRST_COMPLETION + Math.floor(rng.next() * (LAST_COMPLETION - FIRST_COMPLETION));
  completion -= completion % 1000;
  // Keep the guide's example window (1-2 June 2026) for the example record alone.
  if (completion >= EXAMPLE_WINDOW_START && completion <= EXAMPLE_WINDOW_END) completion += 3 * 24 * HOUR;
  const created = completion - rng.int(1, 72) * HOUR - rng.int(0, 3599) * 1000;
  const length = rng.int(5, 80);
  const width = rng.int(5, 60);
  const height = rng.int(1, 40);
  const photos: string[] = [];
  const photoCount = rng.int(1, 6);
  for (let i = 1; i <= photoCount; i++) photos.push(`https://example.com/qc/${source}/${goodsId}/${n}-${i}.jpg`);
  return {
    source,
    createTime: formatCst(created),
    detail: {
      goodsId,
      qcPathList: photos,
      length: String(length),
      width: String(width),
      height: String(height),
      weight: String(rng.int(50, 5000)),
      volume: String(length * width * height),
      completionTime: formatCst(completion),
    },
  };
}

export class QcRecords {
  /** Every record in page order. */
  readonly all: QcRecord[];
  private readonly byGoods = new Map<string, QcRecord[]>();

  constructor(exampleDetail: QcDetail) {
    const records: QcRecord[] = [];
    for (const source of SOURCES) {
      for (const goodsId of catalogueIds(source)) {
        if (goodsId === EXAMPLE_GOODS_ID && source === 1) continue;
        const count = seededRng(`qc-count:${source}:${goodsId}`).int(0, 5);
        // 0 or 1 -> no QC at all (one goods in three), otherwise 1 to 4 records.
        for (let n = 1; n <= (count < 2 ? 0 : count - 1); n++) records.push(generateRecord(goodsId, source, n));
      }
    }
    // The example goods: its spec record is the latest, two older ones give it a history.
    records.push({ source: 1, createTime: "2026-06-01 09:12:00", detail: structuredClone(exampleDetail) });
    for (const n of [1, 2]) {
      const older = generateRecord(EXAMPLE_GOODS_ID, 1, n);
      const completion = (parseCst("2026-05-31 12:00:00") as number) - n * 17 * 24 * HOUR;
      older.detail.completionTime = formatCst(completion);
      older.createTime = formatCst(completion - 26 * HOUR);
      records.push(older);
    }
    records.sort(compareRecords);
    // Frozen records are handed out as they are: no copy per answer, and no caller can change the store.
    for (const record of records) deepFreeze(record.detail);
    this.all = records;
    for (const record of records) {
      const key = `${record.source}:${record.detail.goodsId}`;
      const list = this.byGoods.get(key) ?? [];
      list.push(record);
      this.byGoods.set(key, list);
    }
  }

  /** The latest record of a goods item, or null when it has none. */
  latest(goodsId: string, source: GoodsSource): QcDetail | null {
    const record = this.byGoods.get(`${source}:${goodsId}`)?.[0];
    return record === undefined ? null : record.detail;
  }

  /**
   * One page of the records matching the query, newest completion first. Without goodsId the records are already
   * in page order: a completion-time range is found by binary search and, with no other filter, the page is a
   * slice (no scan of all records per call); the other filters walk only the records inside that range.
   */
  page(query: RequestBody<"pageGoodsQc">): QcPage {
    const { pageNo, pageSize, goodsId, source, createTime, completionTime } = query;
    let candidates: QcRecord[];
    let from = 0;
    let to: number;
    if (goodsId === undefined) {
      candidates = this.all;
      to = candidates.length;
      if (completionTime !== undefined) {
        // Sorted newest first: [from, to) holds the completions from completionTime[1] down to completionTime[0].
        from = firstIndex(candidates, (r) => r.detail.completionTime <= (completionTime[1] as string));
        to = firstIndex(candidates, (r) => r.detail.completionTime < (completionTime[0] as string));
        if (to < from) to = from;
      }
    } else {
      candidates = SOURCES.flatMap((s) => this.byGoods.get(`${s}:${goodsId}`) ?? []).sort(compareRecords);
      to = candidates.length;
    }
    const start = (pageNo - 1) * pageSize;
    if (source === undefined && createTime === undefined && (goodsId === undefined || completionTime === undefined)) {
      const first = from + start;
      const end = Math.min(to, first + pageSize);
      const list: QcDetail[] = [];
      for (let i = first; i < end; i++) list.push((candidates[i] as QcRecord).detail);
      return { list, total: to - from };
    }
    const list: QcDetail[] = [];
    let total = 0;
    for (let i = from; i < to; i++) {
      const r = candidates[i] as QcRecord;
      if (source !== undefined && r.source !== source) continue;
      if (!inRange(r.createTime, createTime)) continue;
      if (goodsId !== undefined && !inRange(r.detail.completionTime, completionTime)) continue;
      if (total >= start && list.length < pageSize) list.push(r.detail);
      total++;
    }
    return { list, total };
  }
}

const inRange = (value: string, range: string[] | undefined): boolean =>
  range === undefined || (value >= (range[0] as string) && value <= (range[1] as string));

/** The first index whose record satisfies `test`, for a test that is false then true along the array. */
function firstIndex(records: readonly QcRecord[], test: (record: QcRecord) => boolean): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(records[middle] as QcRecord)) high = middle;
    else low = middle + 1;
  }
  return low;
}
