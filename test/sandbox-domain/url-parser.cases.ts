// Real-world goods-link shapes and what parseGoodsUrl must make of them. Shared by the unit table test, the
// property test and the HTTP sample test. `null` = the business error "Failed to parse product URL".
//
// Every case says where its shape comes from (`source`). Most agent shapes are taken from cn-links
// (github.com/cachho/cn-links, MIT): its test suites and the link templates of its generateAgentLink.ts, which
// record what 34 agents' links really look like. IDs in generated cases are made up; the shapes are not.
// Hosts ending in `.example` are hypothetical agents: they show a shape read on a host the parser has no rule for.

export interface LinkCase {
  input: string;
  expect: { id: string; source: 1 | 2 | 3 | 4; detail?: string } | null;
  why?: string;
  /** Where the shape comes from: a site, a test suite, a generator. */
  source: string;
}

const TB = (id: string): LinkCase["expect"] => ({ id, source: 1, detail: `https://item.taobao.com/item.htm?id=${id}` });
const TM = (id: string): LinkCase["expect"] => ({
  id,
  source: 1,
  detail: `https://detail.tmall.com/item.htm?id=${id}`,
});
const AL = (id: string): LinkCase["expect"] => ({ id, source: 2, detail: `https://detail.1688.com/offer/${id}.html` });
const WD = (id: string): LinkCase["expect"] => ({
  id,
  source: 3,
  detail: `https://weidian.com/item.html?itemID=${id}`,
});
const OTHER = (id: string, detail: string): LinkCase["expect"] => ({ id, source: 4, detail });

function from(source: string, cases: Omit<LinkCase, "source">[]): LinkCase[] {
  return cases.map((c) => ({ ...c, source }));
}

// ---------------------------------------------------------------------------------------------------------------
// Agent families generated from cn-links' generateAgentLink.ts templates: one Taobao, one 1688 and one Weidian
// goods item per agent, each with its referral parameter, as the agent's own "share" button builds the link.

type Market = "taobao" | "1688" | "weidian";
const enc = encodeURIComponent;
const RAW: Record<Market, (id: string) => string> = {
  taobao: (id) => `https://item.taobao.com/item.htm?id=${id}`,
  "1688": (id) => `https://detail.1688.com/offer/${id}.html`,
  weidian: (id) => `https://weidian.com/item.html?itemID=${id}`,
};
const EXPECT: Record<Market, (id: string) => LinkCase["expect"]> = { taobao: TB, "1688": AL, weidian: WD };
let nextId = 0;
/** Distinct made-up IDs of each platform's usual length. */
function madeUpId(market: Market): string {
  nextId++;
  if (market === "weidian") return String(7_300_000_000 + nextId * 7919);
  if (market === "1688") return String(820_000_000_000 + nextId * 7919);
  return String(650_000_000_000 + nextId * 7919);
}

function agent(name: string, link: (market: Market, id: string, raw: string) => string): LinkCase[] {
  return (["taobao", "1688", "weidian"] as const).map((market) => {
    const id = madeUpId(market);
    return {
      input: link(market, id, RAW[market](id)),
      expect: EXPECT[market](id),
      source: `cn-links generateAgentLink.ts: ${name}`,
    };
  });
}

const word = (m: Market, taobao: string, ali: string, weidian: string): string =>
  m === "taobao" ? taobao : m === "1688" ? ali : weidian;

const generatedAgentCases: LinkCase[] = [
  ...agent("pandabuy", (_m, _id, raw) => `https://www.pandabuy.com/product?ra=1&url=${enc(raw)}&inviteCode=PB42`),
  ...agent(
    "wegobuy",
    (_m, _id, raw) => `https://www.wegobuy.com/en/page/buy?from=search-input&url=${enc(raw)}&partnercode=w1`,
  ),
  ...agent(
    "superbuy",
    (_m, _id, raw) => `https://www.superbuy.com/en/page/buy?from=search-input&url=${enc(raw)}&partnercode=s1`,
  ),
  ...agent(
    "sugargoo",
    (_m, _id, raw) => `https://www.sugargoo.com/#/home/productDetail?productLink=${enc(enc(raw))}&memberId=77`,
  ),
  ...agent(
    "cssbuy",
    (m, id) => `https://www.cssbuy.com/item-${word(m, "", "1688-", "micro-")}${id}.html?promotionCode=c1`,
  ),
  ...agent("hagobuy", (_m, _id, raw) => `https://www.hagobuy.com/item/details?url=${enc(raw)}&affcode=h1`),
  ...agent("hegobuy", (_m, _id, raw) => `https://www.hegobuy.com/item/details?url=${enc(raw)}&affcode=h2`),
  ...agent("kakobuy", (_m, _id, raw) => `https://www.kakobuy.com/item/details?url=${enc(raw)}&affcode=k1`),
  ...agent("kameymall", (_m, _id, raw) => `https://www.kameymall.com/purchases/search/item?url=${enc(raw)}&code=km`),
  ...agent(
    "cnfans",
    (m, id) => `https://cnfans.com/product?id=${id}&platform=${word(m, "TAOBAO", "ALI_1688", "WEIDIAN")}&ref=5`,
  ),
  ...agent(
    "mulebuy",
    (m, id) => `https://mulebuy.com/product?id=${id}&platform=${word(m, "TAOBAO", "ALI_1688", "WEIDIAN")}&ref=6`,
  ),
  ...agent("ezbuycn", (_m, _id, raw) => `https://ezbuycn.com/api/chaid.aspx?key=${enc(raw)}`),
  ...agent("hoobuy", (m, id) => `https://www.hoobuy.com/product/${word(m, "1", "0", "2")}/${id}?inviteCode=hb`),
  ...agent("usfans", (m, id) => `https://www.usfans.com/product/${word(m, "2", "1", "3")}/${id}?ref=uf`),
  ...agent(
    "allchinabuy",
    (_m, _id, raw) => `https://www.allchinabuy.com/en/page/buy?from=search-input&url=${enc(raw)}&partnercode=a`,
  ),
  ...agent("basetao", (m, id) => `https://www.basetao.com/best-taobao-agent-service/products/agent/${m}/${id}.html`),
  ...agent(
    "eastmallbuy",
    (_m, _id, raw) => `https://eastmallbuy.com/index/item/index.html?searchlang=en&url=${enc(raw)}&inviter=e`,
  ),
  ...agent("hubbuycn", (_m, _id, raw) => `https://www.hubbuycn.com/product/item?url=${enc(raw)}&invitation_code=hc`),
  ...agent(
    "joyabuy",
    (m, id) => `https://joyabuy.com/product/?shop_type=${word(m, "taobao", "ali_1688", "weidian")}&id=${id}&ref=j`,
  ),
  ...agent(
    "joyagoo",
    (m, id) => `https://joyagoo.com/product?id=${id}&platform=${word(m, "TAOBAO", "ALI_1688", "WEIDIAN")}&ref=jg`,
  ),
  ...agent(
    "orientdig",
    (m, id) => `https://orientdig.com/product/?shop_type=${word(m, "taobao", "ali_1688", "weidian")}&id=${id}&ref=o`,
  ),
  ...agent("oopbuy", (m, id) => `https://www.oopbuy.com/product/${word(m, "1", "0", "2")}/${id}?inviteCode=op`),
  ...agent(
    "lovegobuy",
    (m, id) =>
      `https://www.lovegobuy.com/product?id=${id}&shop_type=${word(m, "taobao", "ali_1688", "weidian")}&invite_code=l`,
  ),
  ...agent("blikbuy", (_m, _id, raw) => `https://www.blikbuy.com/?go=item&url=${enc(raw)}&icode=bb`),
  ...agent("ponybuy", (m, id) => `https://www.ponybuy.com/products/${word(m, "1", "2", "3")}/${id}?inviteCode=pn`),
  ...agent(
    "panglobalbuy",
    (m, id) => `https://panglobalbuy.com/#/details?type=${word(m, "1", "2", "3")}&offerId=${id}&share_id=9`,
  ),
  ...agent(
    "sifubuy",
    (m, id) => `https://www.sifubuy.com/detail?invite_code=sf&id=${id}&type=${word(m, "2", "1", "4")}`,
  ),
  ...agent("loongbuy", (_m, _id, raw) => `https://www.loongbuy.com/product-details?url=${enc(raw)}&invitecode=lb`),
  ...agent("acbuy", (m, id) => `https://www.acbuy.com/product/?id=${id}&source=${word(m, "TB", "AL", "WD")}&u=ac`),
  ...agent("itaobuy", (_m, _id, raw) => `https://www.itaobuy.com/product-detail?url=${enc(raw)}&inviteCode=it`),
  ...agent("cnshopper", (m, id) => `https://cnshopper.com/goods/detail?keyword=${id}&platform=${m}&invite_id=1997618`),
  ...agent("hipobuy", (m, id) => `https://hipobuy.com/product/${m}/${id}?inviteCode=hp`),
  ...agent("gtbuy", (m, id) => `https://gtbuy.com/product/${word(m, "1", "0", "2")}/${id}?inviteCode=gt`),
  ...agent("fishgoo", (_m, _id, raw) => `https://www.fishgoo.com/#/product?productLink=${enc(enc(raw))}&memberId=fg`),
];

export const linkCases: LinkCase[] = [
  // --- Taobao desktop
  ...from("Taobao desktop item pages as shared from a browser; world/list forms from cn-links extractRawLink.test.ts", [
    { input: "https://item.taobao.com/item.htm?id=768650559131", expect: TB("768650559131") },
    { input: "http://item.taobao.com/item.htm?id=768650559131", expect: TB("768650559131") },
    { input: "https://ITEM.TAOBAO.COM/item.htm?id=768650559131", expect: TB("768650559131") },
    {
      input: "https://item.taobao.com/item.htm?spm=a1z10.3-c.w4002-13979990307.10.46c7707e2PW6oL&id=691541677564",
      expect: TB("691541677564"),
      why: "spm= is not the id",
    },
    {
      input: "https://item.taobao.com/item.htm?id=691541677564&skuId=5012345678901",
      expect: TB("691541677564"),
      why: "skuId= is not the id",
    },
    { input: "https://item.taobao.com/item.htm?skuId=5012345678901&id=691541677564", expect: TB("691541677564") },
    {
      input: "https://item.taobao.com/item.htm?ft=t&id=675330231400&ali_refid=a3_430&ali_trackid=1_abc",
      expect: TB("675330231400"),
    },
    { input: "https://item.taobao.com/item.htm?id=675330231400#detail", expect: TB("675330231400") },
    { input: "https://item.taobao.com/item.html?id=675330231400", expect: TB("675330231400") },
    { input: "https://world.taobao.com/item/678901234567.htm", expect: TB("678901234567") },
    { input: "https://world.taobao.com/item/678901234567.htm?spm=a21wu.241046", expect: TB("678901234567") },
    {
      input: "https://www.taobao.com/list/item/674680652328.htm?spm=a21wu.10013406.taglist-content.10",
      expect: TB("674680652328"),
    },
    { input: "https://item.taobao.com/item.htm?abbucket=2&id=735151178915&ns=1", expect: TB("735151178915") },
  ]),
  // --- Taobao mobile
  ...from("Taobao app and mobile web share links (h5.m, m.intl, a.m, main.m)", [
    { input: "https://h5.m.taobao.com/awp/core/detail.htm?id=768650559131", expect: TB("768650559131") },
    {
      input: "https://h5.m.taobao.com/awp/core/detail.htm?ut_sk=1.YB&id=768650559131&sourceType=item&price=99",
      expect: TB("768650559131"),
    },
    { input: "https://m.intl.taobao.com/detail/detail.html?id=768650559131", expect: TB("768650559131") },
    { input: "https://a.m.taobao.com/i768650559131.htm", expect: TB("768650559131") },
    {
      input: "https://main.m.taobao.com/detail/index.html?id=768650559131&skuId=123456789",
      expect: TB("768650559131"),
    },
    {
      input: "https://item.taobao.com/item.htm?id=768650559131&price=99&sourceType=item&suid=ABC&shareUniqueId=1&un=x",
      expect: TB("768650559131"),
    },
  ]),
  // --- Tmall (same id space, source 1)
  ...from("Tmall item pages (desktop, mobile, supermarket, Tmall Global); the guide 7.6 example", [
    { input: "https://detail.tmall.com/item.htm?id=768650559131", expect: TM("768650559131") },
    { input: "https://detail.tmall.com/item.htm?id=768650559131&skuId=5012345678901", expect: TM("768650559131") },
    {
      input: "https://detail.tmall.com/item.htm?spm=a230r.1.14.1.55a7&id=612345678901&ns=1&abbucket=1",
      expect: TM("612345678901"),
    },
    { input: "https://detail.m.tmall.com/item.htm?id=612345678901", expect: TM("612345678901") },
    { input: "https://chaoshi.detail.tmall.com/item.htm?id=612345678901", expect: TM("612345678901") },
    { input: "https://detail.tmall.hk/hk/item.htm?id=612345678901", expect: TM("612345678901") },
    {
      input: "https://detail.tmall.com/item.htm?id=612345678901&rn=abc&sku_properties=1627207:28320",
      expect: TM("612345678901"),
    },
  ]),
  // --- 1688
  ...from("1688 offer pages, desktop and mobile (detail.m.1688.com offerId=)", [
    { input: "https://detail.1688.com/offer/641649880094.html", expect: AL("641649880094") },
    {
      input: "https://detail.1688.com/offer/641649880094.html?spm=a26352.13672862.offerlist.1",
      expect: AL("641649880094"),
    },
    { input: "https://detail.1688.com/offer/641649880094.html#sp", expect: AL("641649880094") },
    { input: "http://detail.1688.com/offer/641649880094.htm", expect: AL("641649880094") },
    { input: "https://m.1688.com/offer/641649880094.html", expect: AL("641649880094") },
    {
      input: "https://m.1688.com/offer/641649880094.html?spm=a260k.home2025.recommendpart.1",
      expect: AL("641649880094"),
    },
    { input: "https://detail.m.1688.com/page/index.htm?offerId=641649880094", expect: AL("641649880094") },
    {
      input: "https://detail.m.1688.com/page/index.htm?offerId=641649880094&sk=consign&spm=a2639h",
      expect: AL("641649880094"),
    },
    { input: "https://detail.1688.com/offer/780065669125.html?sk=consign", expect: AL("780065669125") },
  ]),
  // --- Weidian
  ...from("Weidian item pages, shop subdomains and the youshop10.com share domain", [
    { input: "https://weidian.com/item.html?itemID=7212345678", expect: WD("7212345678") },
    { input: "https://weidian.com/item.html?itemID=5418645467&spider_token=4572", expect: WD("5418645467") },
    { input: "https://www.weidian.com/item.html?itemID=7212345678", expect: WD("7212345678") },
    { input: "https://shop1234567.v.weidian.com/item.html?itemID=7212345678", expect: WD("7212345678") },
    { input: "https://weidian.com/item.html?itemID=7212345678&wfr=wx&share_relation=abc", expect: WD("7212345678") },
    { input: "https://weidian.com/item.html?itemId=7212345678", expect: WD("7212345678") },
    {
      input: "https://k.youshop10.com/item.html?itemID=7212345678",
      expect: WD("7212345678"),
      why: "Weidian item page on its share domain",
    },
  ]),
  // --- cssbuy
  ...from("cssbuy: cn-links extractRawLink.test.ts and generateAgentLink.ts (item-, item-1688-, item-micro-)", [
    { input: "https://www.cssbuy.com/item-675330231400.html", expect: TB("675330231400") },
    { input: "https://www.cssbuy.com/item-675330231400", expect: TB("675330231400") },
    {
      input: "https://www.cssbuy.com/item-675330231400?promotionCode=Y2h3ZWJkZXZlbG9wbWVudA",
      expect: TB("675330231400"),
    },
    { input: "https://www.cssbuy.com/item-1688-641649880094.html", expect: AL("641649880094") },
    { input: "https://www.cssbuy.com/item-micro-7832622051.html", expect: WD("7832622051") },
    { input: "https://cssbuy.com/item-micro-7832622051.html?promotionCode=abc", expect: WD("7832622051") },
    {
      input: "https://www.cssbuy.com/shop/goodsDetail?type=micro&id=7832622051&promotionCode=dXVmaW5kcw",
      expect: WD("7832622051"),
    },
  ]),
  // --- cnfans and its siblings (shop_type= / platform=)
  ...from(
    "cnfans family (cnfans, mulebuy, joyabuy, orientdig, lovegobuy): cn-links extractRawLink.test.ts, CnItemLink.test.ts",
    [
      { input: "https://cnfans.com/product/?shop_type=taobao&id=726145768645", expect: TB("726145768645") },
      { input: "https://cnfans.com/product?shop_type=taobao&id=726145768645&ref=71427", expect: TB("726145768645") },
      { input: "https://cnfans.com/fr/product/?shop_type=taobao&id=726145768645", expect: TB("726145768645") },
      { input: "https://cnfans.com/product/?shop_type=ali_1688&id=654321789&ref=71427", expect: AL("654321789") },
      { input: "https://cnfans.com/product/?shop_type=weidian&id=7212345678", expect: WD("7212345678") },
      { input: "https://cnfans.com/product/?platform=TAOBAO&id=726145768645", expect: TB("726145768645") },
      { input: "https://cnfans.com/product/?platform=WEIDIAN&id=7212345678", expect: WD("7212345678") },
      { input: "https://cnfans.com/product/?platform=TMALL&id=612345678901", expect: TM("612345678901") },
      { input: "https://cnfans.com/product/?id=7212345678&shop_type=weidian", expect: WD("7212345678") },
      { input: "https://mulebuy.com/product/?shop_type=taobao&id=781807828902", expect: TB("781807828902") },
      { input: "https://mulebuy.com/zh/product/?shop_type=taobao&id=726526607194", expect: TB("726526607194") },
      {
        input: "https://mulebuy.com/product-test/product/?shop_type=ali_1688&id=781807828902",
        expect: AL("781807828902"),
      },
      { input: "https://joyabuy.com/product/?shop_type=weidian&id=7212345678", expect: WD("7212345678") },
      { input: "https://orientdig.com/product/?shop_type=taobao&id=781807828972", expect: TB("781807828972") },
      { input: "https://www.lovegobuy.com/product?platform=weidian&goodsId=4480454093", expect: WD("4480454093") },
      {
        input: "https://www.lovegobuy.com/pc/#/goods/detail?platform=weidian&goodsId=4480454092",
        expect: WD("4480454092"),
      },
      {
        input: "https://www.lovegobuy.com/product?id=4480454092&shop_type=weidian&invite_code=abc",
        expect: WD("4480454092"),
      },
    ],
  ),
  // --- hoobuy (0 = 1688, 1 = Taobao, 2 = Weidian)
  ...from("hoobuy: cn-links extractRawLink.test.ts and src/data/hoobuy.ts (0 = 1688, 1 = Taobao, 2 = Weidian)", [
    {
      input: "https://hoobuy.com/product/1/692787834585?utm_source=share&utm_medium=product_details",
      expect: TB("692787834585"),
    },
    { input: "https://hoobuy.com/m/product/2/7234262753?utm_source=share", expect: WD("7234262753") },
    { input: "https://www.hoobuy.com/product/0/654321789", expect: AL("654321789") },
    { input: "https://www.hoobuy.com/product/2/7212345678?utm_source=QX1Ke4G8", expect: WD("7212345678") },
  ]),
  // --- oopbuy
  ...from("oopbuy: cn-links extractRawLink.test.ts (path and mobile channel= forms)", [
    { input: "https://www.oopbuy.com/product/weidian/7231813762?inviteCode=test", expect: WD("7231813762") },
    { input: "https://www.oopbuy.com/product/1/7231813762?inviteCode=test", expect: TB("7231813762") },
    { input: "https://www.oopbuy.com/product/2/7212345678", expect: WD("7212345678") },
    { input: "https://m.oopbuy.com/pages/goods/details?id=780065669125&channel=1688", expect: AL("780065669125") },
    { input: "https://oopbuy.com/goods/details?id=5416187188&channel=weidian", expect: WD("5416187188") },
  ]),
  // --- acbuy (source=TB/WD/AL) and allchinabuy
  ...from("acbuy / allchinabuy: cn-links extractRawLink.test.ts and src/data/acbuy.ts (TB/WD/AL)", [
    { input: "https://www.acbuy.com/product/?id=7212345678&source=WD&u=9MLILB", expect: WD("7212345678") },
    { input: "https://www.acbuy.com/product/?id=654321789&source=AL", expect: AL("654321789") },
    { input: "https://www.acbuy.com/product/?id=678901234567&source=TB", expect: TB("678901234567") },
    {
      input:
        "https://www.acbuy.com/en/page/buy/?nTag=Home-search&from=search-input&_search=url&position=&url=https%3A%2F%2Fweidian.com%2Fitem.html%3FitemID%3D5726306637",
      expect: WD("5726306637"),
    },
    {
      input:
        "https://www.allchinabuy.com/en/page/buy/?nTag=Home-search&from=search-input&_search=url&position=&url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D675330231300&partnercode=abc",
      expect: TB("675330231300"),
    },
    {
      input:
        "https://www.allchinabuy.com/en/page/buy/?from=search-input&url=https%253A%252F%252Fweidian.com%252Fitem.html%253FitemID%253D7260605276&partnercode=wrf7xD",
      expect: WD("7260605276"),
      why: "double-encoded url=",
    },
    {
      input:
        "https://m.allchinabuy.com/home/#/goodsDetail?nTag=Home-search&from=search-input&_search=url&url=https://weidian.com/item.html?itemID=7232818672",
      expect: WD("7232818672"),
      why: "unencoded url= in a hash route",
    },
  ]),
  // --- superbuy / wegobuy
  ...from("superbuy / wegobuy: cn-links extractRawLink.test.ts (url= plain, encoded, hash route)", [
    {
      input:
        "https://www.superbuy.com/en/page/buy/?nTag=Home-search&from=search-input&_search=url&url=https%3A%2F%2Fdetail.tmall.com%2Fitem.htm%3Fid%3D612345678901%26spm%3Dx",
      expect: TM("612345678901"),
    },
    {
      input: "https://m.superbuy.com/en/goodsdetail/?url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D705339617846",
      expect: TB("705339617846"),
    },
    {
      input:
        "https://m.superbuy.com/home/#/goodsDetail?nTag=Home-search&from=search-input&_search=url&url=https://detail.tmall.com/item.htm?id=66608981238",
      expect: TM("66608981238"),
    },
    {
      input: "https://www.superbuy.com/en/page/buy?url=https://item.taobao.com/item.htm?spm=a1z10&id=675330231400",
      expect: TB("675330231400"),
      why: "unencoded inner link keeps its own & parameters",
    },
    {
      input:
        "https://www.wegobuy.com/en/page/buy?from=search-input&url=https%3A%2F%2Fitem.taobao.com%2Fitem.html%3Fid%3D675330231400&partnercode=6t86Xk",
      expect: TB("675330231400"),
    },
    {
      input: "https://www.wegobuy.com/en/page/buy?url=https%3A%2F%2Fdetail.1688.com%2Foffer%2F641649880094.html",
      expect: AL("641649880094"),
    },
  ]),
  // --- sugargoo (productLink=, encoded once or twice, in a hash route)
  ...from("sugargoo: cn-links extractRawLink.test.ts (productLink= encoded once or twice in a hash route)", [
    {
      input:
        "https://www.sugargoo.com/#/home/productDetail?productLink=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fspm%3Da1z10.3%26id%3D695240235157&memberId=123",
      expect: TB("695240235157"),
    },
    {
      input:
        "https://www.sugargoo.com/#/home/productDetail?productLink=https%253A%252F%252Fweidian.com%252Fitem.html%253FitemID%253D5418645467%2526spider_token%253D4572",
      expect: WD("5418645467"),
    },
    {
      input:
        "https://www.esugargoo.com/#/home/productDetail?productLink=https%253A%252F%252Fitem.taobao.com%252Fitem.htm%253Fspm%253Da1z10.3-c.w4002-13979990307.10.46c7707e2PW6oL%2526id%253D691541677564&memberId=341948605864607954",
      expect: TB("691541677564"),
    },
    {
      input:
        "https://sugargoo.com/index/item/index.html?tp=taobao&searchlang=en&url=https%3A%2F%2Fweidian.com%2Fitem.html%3FitemID%3D5789470155",
      expect: WD("5789470155"),
      why: "the wrapped link wins over tp=",
    },
  ]),
  // --- pandabuy-style url= wrappers
  ...from("pandabuy / kakobuy: cn-links extractRawLink.test.ts and generateAgentLink.ts", [
    {
      input:
        "https://m.pandabuy.com/product?url=https%3A%2F%2Fdetail.tmall.com%2Fitem.htm%3Fid%3D625144747417&inviteCode=84QGEFBNY",
      expect: TM("625144747417"),
    },
    {
      input:
        "https://www.pandabuy.com/product?ra=1&url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D674680652328&inviteCode=ZZZ",
      expect: TB("674680652328"),
    },
    {
      input: "https://www.pandabuy.com/product?url=https%253A%252F%252Fdetail.1688.com%252Foffer%252F641649880094.html",
      expect: AL("641649880094"),
    },
    {
      input:
        "https://www.pandabuy.com/product?url=PJ9emDFVd3v76X25eDSVqIb3mLH4Md7zsyLlOTWmhLylMKdL6gbFKJ94ysL%2FSI3tYF1Y&utm_source=url",
      expect: null,
      why: "encrypted url= cannot be read offline",
    },
    {
      input:
        "https://www.kakobuy.com/item/details?url=https%3A%2F%2Fweidian.com%2Fitem.html%3FitemID%3D7212345678&affcode=x",
      expect: WD("7212345678"),
    },
    {
      input: "https://www.kakobuy.com/item/details?url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D678901234567",
      expect: TB("678901234567"),
    },
  ]),
  // --- other agents
  ...from("basetao, kameymall, eastmallbuy, hubbuycn, sifubuy, cnshopper, litbuy: cn-links extractRawLink.test.ts", [
    {
      input: "https://www.basetao.com/best-taobao-agent-service/products/agent/taobao/655259799823.html",
      expect: TB("655259799823"),
    },
    {
      input: "https://www.basetao.com/best-taobao-agent-service/products/agent/weidian/7231813765.html",
      expect: WD("7231813765"),
    },
    {
      input: "https://www.basetao.com/best-taobao-agent-service/products/agent/1688/641649880094.html",
      expect: AL("641649880094"),
    },
    {
      input:
        "https://www.kameymall.com/purchases/search/item?url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D732843623706",
      expect: TB("732843623706"),
    },
    {
      input:
        "https://eastmallbuy.com/index/item/index.html?searchlang=en&url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D781807828903",
      expect: TB("781807828903"),
    },
    {
      input:
        "https://www.hubbuycn.com/index/item/index.html?url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D781807828922",
      expect: TB("781807828922"),
    },
    { input: "https://www.hubbuycn.com/taobaoID=726526607194&inviter=johnerik123", expect: TB("726526607194") },
    {
      input:
        "https://www.sifubuy.com/detail?productUrl=https%253A%252F%252Fweidian.com%252Fitem.html%253FitemID%253D54161871828&type=2",
      expect: WD("54161871828"),
    },
    {
      input: "https://cnshopper.com/goods/detail?keyword=769941872984&platform=1688&invite_id=1997618",
      expect: AL("769941872984"),
    },
    { input: "https://www.litbuy.com/products/details?id=7212345678&channel=weidian", expect: WD("7212345678") },
  ]),
  // --- pasted text with noise
  ...from("text pasted from the Taobao/Tmall/Weidian apps and chats (the guide 7.6: noise is stripped)", [
    { input: "【淘宝】 https://item.taobao.com/item.htm?id=768650559131 复制链接打开", expect: TB("768650559131") },
    { input: "  https://detail.tmall.com/item.htm?id=768650559131  ", expect: TM("768650559131") },
    {
      input: "快来看看这个宝贝https://detail.tmall.com/item.htm?id=768650559131，好便宜！",
      expect: TM("768650559131"),
    },
    { input: "看看 https://weidian.com/item.html?itemID=7212345678 微店", expect: WD("7212345678") },
    { input: "(https://detail.1688.com/offer/641649880094.html)", expect: AL("641649880094") },
    { input: "link: https://item.taobao.com/item.htm?id=768650559131.", expect: TB("768650559131") },
    { input: "item.taobao.com/item.htm?id=768650559131", expect: TB("768650559131"), why: "no scheme" },
    { input: "detail.1688.com/offer/641649880094.html 阿里巴巴", expect: AL("641649880094") },
    { input: "\thttps://cnfans.com/product/?shop_type=taobao&id=726145768645\n", expect: TB("726145768645") },
  ]),
  // --- other recognised platforms (source 4)
  ...from("JD, Pinduoduo and Xianyu item pages (goodsSource 4, other)", [
    {
      input: "https://item.jd.com/100012043978.html",
      expect: OTHER("100012043978", "https://item.jd.com/100012043978.html"),
    },
    {
      input: "https://item.m.jd.com/product/100012043978.html?sid=x",
      expect: OTHER("100012043978", "https://item.jd.com/100012043978.html"),
    },
    {
      input: "https://mobile.yangkeduo.com/goods.html?goods_id=123456789012",
      expect: OTHER("123456789012", "https://mobile.yangkeduo.com/goods.html?goods_id=123456789012"),
    },
    {
      input: "https://www.goofish.com/item?id=812345678901",
      expect: OTHER("812345678901", "https://www.goofish.com/item?id=812345678901"),
    },
    {
      input: "https://2.taobao.com/item.htm?id=812345678901",
      expect: OTHER("812345678901", "https://www.goofish.com/item?id=812345678901"),
    },
  ]),
  // --- short links (need a redirect): refused
  ...from("platform short links as the apps share them (m.tb.cn, e.tb.cn, s.click, qr.1688, youshop10, u.jd)", [
    { input: "https://m.tb.cn/h.5AbCdEf?tk=xyz", expect: null },
    { input: "【淘宝】https://m.tb.cn/h.gZ1hY2k 「女装夏季」点击链接直接打开", expect: null },
    { input: "https://e.tb.cn/h.TJzbQqk5?tk=abc", expect: null },
    { input: "https://s.click.taobao.com/wBFYRUr", expect: null },
    { input: "https://qr.1688.com/s/abcdEFGH", expect: null },
    { input: "https://k.youshop10.com/aBcD12?a=b", expect: null },
    { input: "https://u.jd.com/AbCdEf", expect: null },
  ]),
  // --- store pages, search pages, non-goods pages: refused
  ...from("store and search pages of the platforms and agents; other sites; cn-links CnStoreLink.test.ts", [
    { input: "https://shop123456789.taobao.com/", expect: null },
    {
      input: "https://shop123456789.taobao.com/search.htm?id=123456789",
      expect: null,
      why: "a store's own search page",
    },
    { input: "https://nike.tmall.com/shop/view_shop.htm", expect: null },
    { input: "https://nike.tmall.com/?spm=a1z10", expect: null },
    { input: "https://s.taobao.com/search?q=%E5%A5%B3%E8%A3%85", expect: null },
    { input: "https://shop.1688.com/page/offerlist.htm", expect: null },
    { input: "https://s.1688.com/selloffer/offer_search.htm?keywords=abc", expect: null },
    { input: "https://weidian.com/?userid=1234567890", expect: null },
    { input: "https://weidian.com/s/1234567890", expect: null },
    { input: "https://mall.jd.com/index-1000000.html", expect: null },
    { input: "https://item.taobao.com/item.htm?skuId=5012345678901", expect: null, why: "skuId= alone names no goods" },
    { input: "https://item.taobao.com/item.htm?spm=a1z10.3-c.w4002", expect: null, why: "spm= alone names no goods" },
    { input: "https://item.taobao.com/item.htm?id=abc", expect: null },
    { input: "https://item.taobao.com/item.htm?id=0", expect: null },
    { input: "https://www.cssbuy.com/", expect: null },
    { input: "https://cnfans.com/product/?id=726145768645", expect: null, why: "no platform named" },
    { input: "https://cnfans.com/product/?shop_type=amazon&id=726145768645", expect: null },
    { input: "https://hoobuy.com/product/7/692787834585", expect: null },
    { input: "https://www.reddit.com/r/FashionReps/comments/1abc/?id=12345678", expect: null },
    { input: "https://example.com/item/123456", expect: null },
  ]),
  // --- not links at all
  ...from("plain text, Taobao passwords, other schemes", [
    { input: "hello world", expect: null },
    { input: "复制这段描述￥0vGBVQdgw2R￥后到淘宝", expect: null, why: "a Taobao password token needs the app" },
    { input: "768650559131", expect: null },
    { input: "ftp://item.taobao.com/item.htm?id=768650559131", expect: null },
    { input: "javascript:alert(1)", expect: null },
    { input: "https://", expect: null },
    { input: "member@example.com/item", expect: null },
  ]),
  // --- more platform page shapes
  ...from("Tmall desktop fallback page (cn-links CnItemLink.test.ts: item_o.htm)", [
    {
      input: "https://detail.tmall.com/item_o.htm?id=674029285425&pcdegrade=true&de_count=1",
      expect: TM("674029285425"),
    },
  ]),
  ...from("Taobao item page with tracking noise as the app shares it", [
    {
      input:
        "https://item.taobao.com/item.htm?id=674029285425&mi_id=0000abc&skuId=4987654321012&spm=tbpc.pc_sem_alimamaad",
      expect: TB("674029285425"),
    },
    {
      input: "https://market.m.taobao.com/app/dinamic/h5-tb-detail/index.html?id=674029285425",
      expect: TB("674029285425"),
    },
  ]),
  ...from("1688 mobile offer page with offerId in the query", [
    { input: "https://detail.m.1688.com/page/index.html?offerId=610494659403&sk=consign", expect: AL("610494659403") },
    { input: "https://m.1688.com/offer/610494659403.html?src=share#spec", expect: AL("610494659403") },
  ]),
  ...from("Weidian item page variants (cn-links CnItemLink.test.ts)", [
    { input: "https://weidian.com/item.html?itemID=3053526244", expect: WD("3053526244") },
    { input: "https://weidian.com/item.html?itemid=3053526244&wfr=c", expect: WD("3053526244") },
  ]),
  ...from("JD Worldwide and Pinduoduo share pages (goodsSource 4)", [
    {
      input: "https://npcitem.jd.hk/100012043978.html",
      expect: OTHER("100012043978", "https://item.jd.com/100012043978.html"),
    },
    {
      input: "https://mobile.yangkeduo.com/goods2.html?goods_id=123456789012&page_from=23",
      expect: OTHER("123456789012", "https://mobile.yangkeduo.com/goods.html?goods_id=123456789012"),
    },
    {
      input: "https://h5.m.goofish.com/item?id=812345678901",
      expect: OTHER("812345678901", "https://www.goofish.com/item?id=812345678901"),
    },
  ]),
  ...from("the platform's own share link (targetGoodsDetailUrl, guide 7.6 source codes)", [
    {
      input: "https://www.rizzitgo.com/detailPage?goodsId=768650559131&source=1&rno=ABC123",
      expect: TB("768650559131"),
    },
    { input: "https://www.rizzitgo.com/detailPage?goodsId=641649880094&source=2", expect: AL("641649880094") },
    { input: "https://www.rizzitgo.com/detailPage?goodsId=7212345678&source=3", expect: WD("7212345678") },
    {
      input: "https://www.rizzitgo.com/detailPage?goodsId=100012043978&source=4",
      expect: null,
      why: "4 names no platform",
    },
  ]),
  ...from("links broken or wrapped on the way (cn-links extractId.test.ts, extractRawLink.test.ts)", [
    {
      input:
        "https://assets-tmw.taobao.com/app/tmall-ovs-rax/share_page/home?targetType=ITEM&targetId=689584596676&site=SG&targetUrl=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fut_sk%3D1.Zupb7jk%26id%3D689584596676%26sourceType%3Ditem",
      expect: TB("689584596676"),
      why: "Taobao's own share page wraps the item page",
    },
    {
      input: "https://weidian.com/item.html?itemID%3D7240382968&sa=D&source=editors&ust=1730201953662241",
      expect: WD("7240382968"),
      why: "an editor encoded the = of itemID",
    },
    {
      input:
        "https://www.hubbuycn.com/index/item/index.html?tp=taobao&tid=699927843620&url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fabbucket%3D15%26amp%3Bid%3D699927843620%26amp%3Bns%3D1&inviter=v",
      expect: TB("699927843620"),
      why: "HTML-escaped &amp; inside the wrapped link",
    },
    {
      input: "https://login.taobao.com/?redirectURL=https%3A%2F%2Fdetail.tmall.com%2Fitem.htm%3Fid%3D612345678903",
      expect: TM("612345678903"),
    },
    {
      input: "https://www.hagobuy.com/item/store?url=https%3A%2F%2Fshop106592833.taobao.com%2F",
      expect: null,
      why: "a store wrapped",
    },
  ]),
  // --- shapes reported by other link converters
  ...from("oopbuy mobile channelId=/spuNo= (a public agent-link decoder's documented formats)", [
    {
      input: "https://m.oopbuy.com/pages/goods/details?channelId=weidian&inviteCode=P0QTCPM0M&spuNo=7409943981",
      expect: WD("7409943981"),
    },
    {
      input: "https://m.oopbuy.com/pages/goods/details?channelId=1688&inviteCode=P0QTCPM0M&spuNo=846137330434",
      expect: AL("846137330434"),
    },
    {
      input: "https://m.oopbuy.com/pages/goods/details?channelId=1&inviteCode=P0QTCPM0M&spuNo=625267101304",
      expect: TB("625267101304"),
    },
    { input: "https://oopbuy.com/product/1688/846137330434", expect: AL("846137330434") },
    { input: "https://hoobuy.com/product/2/6771436912", expect: WD("6771436912") },
  ]),
  ...from("cnfans/mulebuy mobile pages (cn-links CnItemLink.test.ts)", [
    {
      input: "https://m.cnfans.com/pages/product/product?id=7262488758&shoptype=weidian&ref=49564",
      expect: WD("7262488758"),
    },
    {
      input: "https://m.mulebuy.com/pages/product/product?id=7262843680&shoptype=WEIDIAN&ref=200000069",
      expect: WD("7262843680"),
    },
    { input: "https://joyabuy.com/es/product/?shop_type=taobao&id=726526607194", expect: TB("726526607194") },
    { input: "https://joyagoo.com/product/?shop_type=taobao&id=675330231400", expect: TB("675330231400") },
    {
      input: "https://m.lovegobuy.com/product?id=7247608954&shop_type=weidian&invite_code=123456",
      expect: WD("7247608954"),
    },
    { input: "https://www.lovegobuy.com/detail?platform=weidian&goodsId=4480454092", expect: WD("4480454092") },
    {
      input:
        "https://www.lovegobuy.com/product?platform=weidian&goodsId=4480454012&id=4480454012&shop_type=weidian&invite_code=aff",
      expect: WD("4480454012"),
      why: "the same ID twice and the same platform twice agree",
    },
  ]),
  ...from("ponybuy legacy form (cn-links decodePonybuy.ts: platform= and product_id=)", [
    { input: "https://www.ponybuy.com/product?platform=weidian&product_id=7212345679", expect: WD("7212345679") },
    { input: "https://www.ponybuy.com/products/1/675330231400", expect: TB("675330231400") },
  ]),
  ...from("sifubuy object link (cn-links extractRawLink.test.ts: type=4 is Weidian there)", [
    { input: "https://www.sifubuy.com/detail?invite_code=abc&id=5416187188&type=4", expect: WD("5416187188") },
  ]),
  ...from("pandabuy unencoded url= followed by its own utm parameters (cn-links CnItemLink.test.ts)", [
    {
      input:
        "https://www.pandabuy.com/product?url=https://item.taobao.com/item.htm?id=673535501707&utm_source=pop&utm_medium=pdb",
      expect: TB("673535501707"),
    },
    {
      input:
        "https://www.fishgoo.com/#/product?productLink=https%253A%252F%252Fitem.taobao.com%252Fitem.htm%253Fid%253D675330231401&memberId=ref",
      expect: TB("675330231401"),
    },
  ]),
  // --- wrappers that are not agents at all: a link wrapped in any parameter is followed
  ...from("search-engine and social redirect wrappers (google url?q=, facebook l.php?u=, instagram l.?u=)", [
    {
      input: "https://www.google.com/url?sa=t&q=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D768650559131&usg=AOv",
      expect: TB("768650559131"),
    },
    {
      input: "https://l.facebook.com/l.php?u=https%3A%2F%2Fweidian.com%2Fitem.html%3FitemID%3D7212345678&h=AT0",
      expect: WD("7212345678"),
    },
    {
      input: "https://l.instagram.com/?u=https%3A%2F%2Fdetail.1688.com%2Foffer%2F641649880094.html&e=AT1",
      expect: AL("641649880094"),
    },
    {
      input:
        "https://www.niuniubox.com/search?search_text=https%3A%2F%2Fdetail.tmall.com%2Fitem.htm%3Fid%3D612345678901",
      expect: TM("612345678901"),
    },
    {
      input:
        "https://out.reddit.com/t3_abc?url=https%3A%2F%2Fcnfans.com%2Fproduct%3Fid%3D726145768645%26platform%3DTAOBAO&token=x",
      expect: TB("726145768645"),
      why: "an agent link inside a redirect",
    },
  ]),
  // --- hypothetical hosts: the shapes above, on sites the parser has never heard of
  ...from("hypothetical agent: cnfans-family parameters on an unknown host", [
    { input: "https://newagent.example/product/?shop_type=taobao&id=726145768646", expect: TB("726145768646") },
    { input: "https://newagent.example/product?platform=ALI_1688&id=781807828911", expect: AL("781807828911") },
    {
      input: "https://newagent.example/pages/product/product?id=7262488759&shoptype=WEIDIAN",
      expect: WD("7262488759"),
    },
    { input: "https://newagent.example/goods?itemId=726145768647&mallType=tmall", expect: TM("726145768647") },
    {
      input: "https://newagent.example/item?commodityId=726145768648&goodsSource=taobao",
      expect: TB("726145768648"),
      why: "names it never saw",
    },
    {
      input: "https://newagent.example/product?platform=1&id=726145768649",
      expect: TB("726145768649"),
      why: "a digit under platform=",
    },
    { input: "https://newagent.example/product?shop_type=2&id=7262488760", expect: WD("7262488760") },
  ]),
  ...from("hypothetical agent: acbuy-style short codes on an unknown host", [
    { input: "https://buy.example/product/?id=7212345670&source=WD&u=x", expect: WD("7212345670") },
    { input: "https://buy.example/product/?id=654321780&source=al", expect: AL("654321780") },
    { input: "https://buy.example/product/?id=678901234560&channel=Tb", expect: TB("678901234560") },
  ]),
  ...from("hypothetical agent: /product/<platform>/<id> paths (oopbuy, hipobuy) on an unknown host", [
    { input: "https://shop.example/product/weidian/7231813763", expect: WD("7231813763") },
    { input: "https://shop.example/en/product/TAOBAO/7231813764.html", expect: TB("7231813764") },
    { input: "https://shop.example/product/ali_1688/846137330435?ref=1", expect: AL("846137330435") },
    { input: "https://shop.example/goods/micro/7231813765", expect: WD("7231813765") },
    {
      input: "https://shop.example/m/product/1/692787834586",
      expect: TB("692787834586"),
      why: "1 = Taobao by default",
    },
    { input: "https://shop.example/product/2/7234262754", expect: WD("7234262754"), why: "2 = Weidian by default" },
    { input: "https://shop.example/products/3/7234262755", expect: WD("7234262755"), why: "3 = Weidian by default" },
    { input: "https://shop.example/product/0/692787834587", expect: TB("692787834587"), why: "0 = Taobao by default" },
  ]),
  ...from("hypothetical agent: hash routes and word-and-ID segments on an unknown host", [
    { input: "https://spa.example/#/goods/detail?platform=weidian&goodsId=4480454093", expect: WD("4480454093") },
    { input: "https://spa.example/#!/details?platformType=1&offerId=676700645112", expect: TB("676700645112") },
    { input: "https://spa.example/app#/product/1688/846137330436", expect: AL("846137330436") },
    { input: "https://spa.example/item-micro-7832622052.html", expect: WD("7832622052") },
    { input: "https://spa.example/taobaoID=726526607195", expect: TB("726526607195") },
    { input: "https://spa.example/p/weidian-7832622053", expect: WD("7832622053") },
  ]),
  ...from("hypothetical agent: wrapped links under parameter names it never saw", [
    {
      input: "https://wrap.example/buy?source_link=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D675330231401",
      expect: TB("675330231401"),
    },
    {
      input:
        "https://wrap.example/#/detail?target_url=https%253A%252F%252Fweidian.com%252Fitem.html%253FitemID%253D7260605277",
      expect: WD("7260605277"),
    },
    {
      input: "https://wrap.example/go?to=https%25253A%25252F%25252Fdetail.1688.com%25252Foffer%25252F641649880095.html",
      expect: AL("641649880095"),
      why: "encoded three times",
    },
    {
      input: "https://wrap.example/r?x=1&link=https://detail.tmall.com/item.htm?id=612345678902&y=2",
      expect: TM("612345678902"),
    },
  ]),
  ...from("hypothetical agent: an ID after a goods segment, the platform in a parameter", [
    { input: "https://shop.example/product/7212345671?platform=weidian", expect: WD("7212345671") },
    { input: "https://shop.example/item/678901234561.html?source=TB", expect: TB("678901234561") },
  ]),
  // --- refused: the platform cannot be told, or the ID is not plausible, or it is not one goods item
  ...from("refused: agent links naming no platform, or two", [
    { input: "https://newagent.example/product/?id=726145768645", expect: null, why: "no platform named" },
    {
      input: "https://newagent.example/product/?platform=taobao&shop_type=weidian&id=726145768645",
      expect: null,
      why: "two platforms",
    },
    {
      input: "https://newagent.example/product/?shop_type=taobao&id=726145768645&goodsId=726145768699",
      expect: null,
      why: "two IDs",
    },
    {
      input: "https://shop.example/product/weidian/7231813763?id=7231813799",
      expect: null,
      why: "path and parameter disagree",
    },
    {
      input: "https://newagent.example/product/?lang=tb&id=726145768645",
      expect: null,
      why: "tb in a parameter that is not a platform's",
    },
    {
      input: "https://newagent.example/product/?utm_source=taobao&id=726145768645",
      expect: null,
      why: "utm_source is marketing",
    },
    { input: "https://newagent.example/product/?shop_type=amazon&id=726145768645", expect: null },
    { input: "https://newagent.example/product/?price=1688&id=726145768645", expect: null, why: "1688 as a price" },
    { input: "https://www.youtube.com/watch?v=x&type=1&id=726145768645", expect: null, why: "type=1 on another site" },
    {
      input: "https://forum.example/thread?source=2&id=726145768645",
      expect: null,
      why: "source=2 is a traffic source",
    },
    { input: "https://forum.example/p/1/726145768645", expect: null, why: "p/1 is a forum page" },
    {
      input: "https://shop.example/2024/11/726145768645",
      expect: null,
      why: "digits after a date, not a goods segment",
    },
    { input: "https://shop.example/product/9/726145768645", expect: null, why: "9 is no platform code" },
    { input: "https://www.hoobuy.com/product/3/692787834585", expect: null, why: "hoobuy has no code 3" },
    { input: "https://www.sifubuy.com/detail?id=5416187188&type=3", expect: null, why: "sifubuy has no code 3" },
    { input: "https://shop.example/product/taobao/", expect: null, why: "a platform, no ID" },
  ]),
  ...from("refused: implausible goods IDs", [
    { input: "https://cnfans.com/product?id=0726145768645&platform=TAOBAO", expect: null, why: "leading zero" },
    { input: "https://cnfans.com/product?id=1234&platform=TAOBAO", expect: null, why: "too short" },
    { input: "https://cnfans.com/product?id=123456789012345678901&platform=TAOBAO", expect: null, why: "21 digits" },
    { input: "https://cnfans.com/product?id=72614576864a&platform=TAOBAO", expect: null },
    { input: "https://www.hoobuy.com/product/1/-692787834585", expect: null },
    { input: "https://weidian.com/item.html?itemID=7212345678.5", expect: null },
  ]),
  ...from("refused: search and store pages of agents (cn-links CnStoreLink.test.ts, store decoders)", [
    { input: "https://cnfans.com/shops/?shop_type=taobao&num=1&sort=default&shop_id=277184856", expect: null },
    { input: "https://www.pandabuy.com/shopdetail?ra=21&t=wd&id=1625671124&o=weidian.com", expect: null },
    { input: "https://mulebuy.com/shops/?shop_type=weidian&shop_id=1625671124", expect: null },
    {
      input: "https://cnfans.com/search?keyword=726145768645&platform=taobao",
      expect: null,
      why: "a search for an ID is not the goods",
    },
    { input: "https://shop232138271.v.weidian.com/?userid=232138271", expect: null },
    { input: "https://www.hoobuy.com/search?keyword=hoodie&platform=1", expect: null },
    { input: "https://shop.example/store/taobao/277184856", expect: null },
    {
      input:
        "https://www.kameymall.com/purchases/1730295605736697858/%E3%80%90%E6%9C%80%E9%AB%98%E7%89%88%E6%9C%AC%E3%80%91",
      expect: null,
      why: "a purchase history page",
    },
  ]),
  ...from("refused: other sites' goods and page IDs", [
    { input: "https://www.amazon.com/dp/B0C1234567?th=1", expect: null },
    { input: "https://www.ebay.com/itm/123456789012", expect: null },
    { input: "https://www.aliexpress.com/item/1005001234567890.html", expect: null },
    { input: "https://www.youtube.com/watch?v=dQw4w9WgXcQ&id=123456789", expect: null },
    { input: "https://github.com/cachho/cn-links/issues/123456", expect: null },
    { input: "https://stackoverflow.com/questions/12345678/parse-a-url", expect: null },
    { input: "https://x.com/someone/status/1234567890123456789", expect: null },
    { input: "https://www.reddit.com/r/FashionReps/comments/1abcdef/taobao_haul/?id=726145768645", expect: null },
    { input: "https://yupoo.com/photos/seller/albums/123456789?uid=1", expect: null },
    { input: "https://news.example/article?id=726145768645&type=news", expect: null },
  ]),
  ...from("refused: more short links (they need a redirect or the fixture table)", [
    { input: "https://tb.cn/h.abcdEF", expect: null },
    { input: "https://3.cn/-1abcDEF", expect: null },
    { input: "https://uland.taobao.com/coupon/edetail?e=abc", expect: null },
    {
      input: "https://www.pandabuy.com/product?url=https%3A%2F%2Fm.tb.cn%2Fh.5AbCdEf",
      expect: null,
      why: "a short link wrapped by an agent",
    },
  ]),
  ...generatedAgentCases,
];
