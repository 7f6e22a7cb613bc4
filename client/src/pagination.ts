// Async iterators over the two paged operations, one item at a time, fetching the next page only when needed.
import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** A QC page query whose `pageNo` is where to start (default 1). */
export type QcIterationQuery = Omit<Schemas["QcPageQuery"], "pageNo"> & { pageNo?: number };

/** An image search query whose `page` is where to start (default 1). */
export type ImageSearchIterationQuery = Omit<Schemas["ImageSearchQuery"], "page"> & { page?: number };

/** Every QC record matching `query`: pages `pageNo` 1, 2, ... until `pageNo * pageSize >= total`. */
export async function* iterateGoodsQc(
  fetchPage: (query: Schemas["QcPageQuery"]) => Promise<Schemas["QcPage"]>,
  query: QcIterationQuery,
): AsyncGenerator<Schemas["QcDetail"], void, undefined> {
  for (let pageNo = query.pageNo ?? 1; ; pageNo++) {
    const page = await fetchPage({ ...query, pageNo });
    yield* page.list;
    // An empty page also ends the walk, so a `total` that shrinks while paging cannot loop forever.
    if (page.list.length === 0 || pageNo * query.pageSize >= page.total) return;
  }
}

/** Every goods item similar to the image: pages 1, 2, ... until `totalPage`. */
export async function* iterateGoodsByImage(
  fetchPage: (query: Schemas["ImageSearchQuery"]) => Promise<Schemas["ImageSearchPage"]>,
  query: ImageSearchIterationQuery,
): AsyncGenerator<Schemas["ImageSearchGoods"], void, undefined> {
  for (let page = query.page ?? 1; ; page++) {
    const result = await fetchPage({ ...query, page });
    yield* result.goodsList;
    if (result.goodsList.length === 0 || page >= result.totalPage) return;
  }
}
