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
    const swapped = ids[j] as string;
    ids[j] = ids[i] as string;
    ids[i] = swapped;
  }
  const start = (query.page - 1) * IMAGE_SEARCH_PAGE_SIZE;
  const goodsList: ImageSearchPage["goodsList"] = [];
  const end = Math.min(IMAGE_SEARCH_RESULTS, start + IMAGE_SEARCH_PAGE_SIZE);
  for (let i = start; i < end; i++) goodsList.push(catalogue.searchHit(ids[i] as string, source));
  return {
    goodsList,
    page: query.page,
    size: IMAGE_SEARCH_PAGE_SIZE,
    totalPage: Math.ceil(IMAGE_SEARCH_RESULTS / IMAGE_SEARCH_PAGE_SIZE),
    totalCount: IMAGE_SEARCH_RESULTS,
  };
}
