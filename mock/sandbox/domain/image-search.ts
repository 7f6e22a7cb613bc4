// Image search, simulated: the sandbox cannot fetch or compare images offline, so an image URL deterministically
// selects and orders 100 catalogue goods of the requested source (same URL, same results, in the same order).
import type { RequestBody, SuccessData } from "../operation-types.ts";
import { type Catalogue, catalogueIds, type GoodsSource } from "./catalogue.ts";
import { seededRng } from "./prng.ts";

export type ImageSearchPage = SuccessData<"searchGoodsByImage">;

export const IMAGE_SEARCH_PAGE_SIZE = 20;
export const IMAGE_SEARCH_RESULTS = 100;

export function searchByImage(catalogue: Catalogue, query: RequestBody<"searchGoodsByImage">): ImageSearchPage {
  const source = query.source as GoodsSource;
  const ids = catalogueIds(source);
  // A seeded Fisher-Yates shuffle, stopped after the first IMAGE_SEARCH_RESULTS positions.
  const rng = seededRng(`image:${source}:${query.imagesUrl}`);
  for (let i = 0; i < IMAGE_SEARCH_RESULTS; i++) {
    const j = i + Math.floor(rng.next() * (ids.length - i));
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  const results = ids.slice(0, IMAGE_SEARCH_RESULTS);
  const start = (query.page - 1) * IMAGE_SEARCH_PAGE_SIZE;
  return {
    goodsList: results.slice(start, start + IMAGE_SEARCH_PAGE_SIZE).map((id) => catalogue.searchHit(id, source)),
    page: query.page,
    size: IMAGE_SEARCH_PAGE_SIZE,
    totalPage: Math.ceil(results.length / IMAGE_SEARCH_PAGE_SIZE),
    totalCount: results.length,
  };
}
