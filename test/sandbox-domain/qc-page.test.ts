// QcRecords.page pages directly (binary search on completion time, a slice when nothing else filters): it must
// answer exactly what filtering every record and slicing the result answers, for any query.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type QcDetail, type QcRecord, QcRecords } from "../../mock/sandbox/domain/qc.ts";
import { exampleValue, loadSpec } from "../../mock/sandbox/spec.ts";

const records = new QcRecords((exampleValue(loadSpec(), "GetGoodsQcDetailResponse") as { data: QcDetail }).data);

/** The obvious implementation: filter all records, then slice. */
function reference(query: Parameters<QcRecords["page"]>[0]) {
  const inRange = (value: string, range?: string[]) =>
    range === undefined || (value >= (range[0] as string) && value <= (range[1] as string));
  const matching = records.all.filter(
    (r: QcRecord) =>
      (query.goodsId === undefined || r.detail.goodsId === query.goodsId) &&
      (query.source === undefined || r.source === query.source) &&
      inRange(r.createTime, query.createTime) &&
      inRange(r.detail.completionTime, query.completionTime),
  );
  const start = (query.pageNo - 1) * query.pageSize;
  return { list: matching.slice(start, start + query.pageSize).map((r) => r.detail), total: matching.length };
}

const times = records.all.flatMap((r) => [r.createTime, r.detail.completionTime]);
const time = fc.oneof(
  fc.constantFrom(...times),
  fc.constantFrom("2025-12-31 00:00:00", "2026-06-01 00:00:00", "2027-01-01 00:00:00"),
);
const query = fc.record(
  {
    pageNo: fc.integer({ min: 1, max: 40 }),
    pageSize: fc.integer({ min: 1, max: 100 }),
    goodsId: fc.constantFrom(...records.all.slice(0, 50).map((r) => r.detail.goodsId)),
    source: fc.constantFrom(1, 2, 3),
    createTime: fc.tuple(time, time),
    completionTime: fc.tuple(time, time),
  },
  { requiredKeys: ["pageNo", "pageSize"] },
);

describe("QC paging", () => {
  it("answers what filtering every record answers, for any combination of filters", () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(records.page(q as never)).toEqual(reference(q as never));
      }),
      { numRuns: 500 },
    );
  });

  it("pages the whole record set without overlap", () => {
    const seen = new Set<QcDetail>();
    for (let pageNo = 1; ; pageNo++) {
      const page = records.page({ pageNo, pageSize: 100 });
      expect(page.total).toBe(records.all.length);
      if (page.list.length === 0) break;
      for (const detail of page.list) seen.add(detail);
    }
    expect(seen.size).toBe(records.all.length);
  });
});
