// Real-world goods-link shapes and what parseGoodsUrl must make of them. Shared by the unit table test and the
// HTTP sample test. `null` = the business error "Failed to parse product URL".

export interface LinkCase {
  input: string;
  expect: { id: string; source: 1 | 2 | 3 | 4; detail?: string } | null;
  why?: string;
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

export const linkCases: LinkCase[] = [
  // --- Taobao desktop
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
  // --- Taobao mobile
  { input: "https://h5.m.taobao.com/awp/core/detail.htm?id=768650559131", expect: TB("768650559131") },
  {
    input: "https://h5.m.taobao.com/awp/core/detail.htm?ut_sk=1.YB&id=768650559131&sourceType=item&price=99",
    expect: TB("768650559131"),
  },
  { input: "https://m.intl.taobao.com/detail/detail.html?id=768650559131", expect: TB("768650559131") },
  { input: "https://a.m.taobao.com/i768650559131.htm", expect: TB("768650559131") },
  { input: "https://main.m.taobao.com/detail/index.html?id=768650559131&skuId=123456789", expect: TB("768650559131") },
  {
    input: "https://item.taobao.com/item.htm?id=768650559131&price=99&sourceType=item&suid=ABC&shareUniqueId=1&un=x",
    expect: TB("768650559131"),
  },
  // --- Tmall (same id space, source 1)
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
  // --- 1688
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
  // --- Weidian
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
  // --- cssbuy
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
  // --- cnfans and its siblings (shop_type= / platform=)
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
  { input: "https://mulebuy.com/product-test/product/?shop_type=ali_1688&id=781807828902", expect: AL("781807828902") },
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
  // --- hoobuy (0 = 1688, 1 = Taobao, 2 = Weidian)
  {
    input: "https://hoobuy.com/product/1/692787834585?utm_source=share&utm_medium=product_details",
    expect: TB("692787834585"),
  },
  { input: "https://hoobuy.com/m/product/2/7234262753?utm_source=share", expect: WD("7234262753") },
  { input: "https://www.hoobuy.com/product/0/654321789", expect: AL("654321789") },
  { input: "https://www.hoobuy.com/product/2/7212345678?utm_source=QX1Ke4G8", expect: WD("7212345678") },
  // --- oopbuy
  { input: "https://www.oopbuy.com/product/weidian/7231813762?inviteCode=test", expect: WD("7231813762") },
  { input: "https://www.oopbuy.com/product/1/7231813762?inviteCode=test", expect: TB("7231813762") },
  { input: "https://www.oopbuy.com/product/2/7212345678", expect: WD("7212345678") },
  { input: "https://m.oopbuy.com/pages/goods/details?id=780065669125&channel=1688", expect: AL("780065669125") },
  { input: "https://oopbuy.com/goods/details?id=5416187188&channel=weidian", expect: WD("5416187188") },
  // --- acbuy (source=TB/WD/AL) and allchinabuy
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
  // --- superbuy / wegobuy
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
  // --- sugargoo (productLink=, encoded once or twice, in a hash route)
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
  // --- pandabuy-style url= wrappers
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
  // --- other agents
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
  // --- pasted text with noise
  { input: "【淘宝】 https://item.taobao.com/item.htm?id=768650559131 复制链接打开", expect: TB("768650559131") },
  { input: "  https://detail.tmall.com/item.htm?id=768650559131  ", expect: TM("768650559131") },
  { input: "快来看看这个宝贝https://detail.tmall.com/item.htm?id=768650559131，好便宜！", expect: TM("768650559131") },
  { input: "看看 https://weidian.com/item.html?itemID=7212345678 微店", expect: WD("7212345678") },
  { input: "(https://detail.1688.com/offer/641649880094.html)", expect: AL("641649880094") },
  { input: "link: https://item.taobao.com/item.htm?id=768650559131.", expect: TB("768650559131") },
  { input: "item.taobao.com/item.htm?id=768650559131", expect: TB("768650559131"), why: "no scheme" },
  { input: "detail.1688.com/offer/641649880094.html 阿里巴巴", expect: AL("641649880094") },
  { input: "\thttps://cnfans.com/product/?shop_type=taobao&id=726145768645\n", expect: TB("726145768645") },
  // --- other recognised platforms (source 4)
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
  // --- short links (need a redirect): refused
  { input: "https://m.tb.cn/h.5AbCdEf?tk=xyz", expect: null },
  { input: "【淘宝】https://m.tb.cn/h.gZ1hY2k 「女装夏季」点击链接直接打开", expect: null },
  { input: "https://e.tb.cn/h.TJzbQqk5?tk=abc", expect: null },
  { input: "https://s.click.taobao.com/wBFYRUr", expect: null },
  { input: "https://qr.1688.com/s/abcdEFGH", expect: null },
  { input: "https://k.youshop10.com/aBcD12?a=b", expect: null },
  { input: "https://u.jd.com/AbCdEf", expect: null },
  // --- store pages, search pages, non-goods pages: refused
  { input: "https://shop123456789.taobao.com/", expect: null },
  { input: "https://shop123456789.taobao.com/search.htm?id=123456789", expect: null, why: "a store's own search page" },
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
  // --- not links at all
  { input: "hello world", expect: null },
  { input: "复制这段描述￥0vGBVQdgw2R￥后到淘宝", expect: null, why: "a Taobao password token needs the app" },
  { input: "768650559131", expect: null },
  { input: "ftp://item.taobao.com/item.htm?id=768650559131", expect: null },
  { input: "javascript:alert(1)", expect: null },
  { input: "https://", expect: null },
  { input: "member@example.com/item", expect: null },
];
