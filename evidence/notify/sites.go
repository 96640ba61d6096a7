package notify

import "slices"

// Site is a data type the user can acquire (appendix §2.1, the start-vdi-x
// site argument).
type Site string

// The current docs' sites (en and zh appendix, 2026): Hong Kong and
// Indonesia. The en and zh lists name two Indonesian sites differently
// (chrome-shopee-data / chrome-shopee-info, chrome-bpjs-data /
// hwapp-bpjs-ynsb): both are kept, each marked with its list.
const (
	SiteChiyuBank     Site = "chrome-chiyubank-jyj" // Chiyu Bank transaction records (HK)
	SiteHKTax         Site = "chrome-govhk-tax"     // tax payment e-receipt (HK)
	SiteShopeeData    Site = "chrome-shopee-data"   // Shopee e-commerce data (en)
	SiteBPJSData      Site = "chrome-bpjs-data"     // BPJS data (en)
	SiteShopeeInfo    Site = "chrome-shopee-info"   // Shopee data (zh)
	SiteTokopediaInfo Site = "hwapp-tokopedia-info" // Tokopedia data (zh)
	SiteBPJSSocial    Site = "hwapp-bpjs-ynsb"      // Indonesian social security (zh)
	SiteDJPData       Site = "chrome-djp-data"      // Indonesian personal tax (zh)
	SiteDanaInfo      Site = "hwapp-dana-info"      // Dana transactions (zh)
)

// Sites of the seed's §2.1 (the older, mainland generation), in the
// table's order.
const (
	SiteTax               Site = "tax"
	SiteCSCSE             Site = "cscse"
	SiteCHSI              Site = "chsi"
	SiteXLCX              Site = "xlcx"
	SiteCHSIDegree        Site = "chrome-chsi-xw"
	SiteZWFWDiploma       Site = "chrome-zwfw-diploma"
	SiteBeijingEstate     Site = "bjbdc"
	SiteShanghaiEstate    Site = "shbdc"
	SiteTianjinEstate     Site = "chrome-tjbdc"
	SiteChengduEstate     Site = "chrome-cdzjryb-bdc"
	SiteShenzhenSocial    Site = "sipub"
	SiteCHSIStatus        Site = "chsixj"
	SiteTaxEmployer       Site = "taxe"
	SiteTaxAndEmployer    Site = "taxeat"
	SiteLangfangEstate    Site = "chrome-lfbdc-bdc"
	SiteNanchangEstate    Site = "chrome-ncsbdc-bdc"
	SiteBeijingSocial     Site = "bjsb"
	SiteHousingFund       Site = "chrome-gjj-any"
	SiteGovHousingFund    Site = "app-gjzwfw-gjj"
	SiteGovDriverLicense  Site = "app-gjzwfw-jsz"
	SiteJiangsuEstate     Site = "app-jszwfw"
	SiteTaxIncome         Site = "app-tax-income"
	SiteAlipay            Site = "app-alipay-any"
	SiteAlipayData        Site = "app-alipaydata-any"
	SiteAlipayMyBank      Site = "app-alipay-wsd"
	SiteTraffic12123      Site = "app-tmri-any"
	SiteTrafficInsurance  Site = "app-jst-bd"
	SiteMarriageCertified Site = "app-gjzwfw-hyzj"
)

// ChildSite is one item of a parent site, passed in ext.childSites.
type ChildSite string

// Child sites of chrome-gjj-any, app-alipay-any, app-alipaydata-any and
// app-tmri-any.
const (
	ChildSiteHousingFundPayments ChildSite = "chrome-gjj-jnjl"   // payment details
	ChildSiteSesameCredit        ChildSite = "app-alipay-cr"     // Sesame Credit
	ChildSiteHuabei              ChildSite = "app-alipay-huabei" // Huabei
	ChildSiteJiebei              ChildSite = "app-alipay-jiebei" // Jiebei
	ChildSiteMyBankLoan          ChildSite = "app-alipay-wsd"    // MyBank Loan
	ChildSiteAlipayQuota         ChildSite = "app-alipay-quota"  // Huabei + Jiebei quota (app-alipaydata-any)
	ChildSiteVehicleLicense      ChildSite = "app-tmri-xsz"      // vehicle license
	ChildSiteDriverLicense       ChildSite = "app-tmri-jsz"      // driver's license
	ChildSiteSafeDrivingRecord   ChildSite = "app-tmri-jsjl"     // safe driving record (about 5 min)
)

// Source is where a site's data comes from.
type Source string

// Sources.
const (
	SourcePCWebpage Source = "PC Webpage"
	SourceMobileApp Source = "Mobile App"
)

// SiteInfo is one row of §2.1.
type SiteInfo struct {
	Site Site
	// OfficialName is the data type's official name, the one the user
	// agreement template names (the appendix gives it in English; the
	// Chinese wording comes with the operator's template).
	OfficialName string
	Description  string
	// AccessWays as the table writes them ("Weixin Miniapp", "SDK", "H5").
	AccessWays []string
	// Files is the file format column, in one line.
	Files string
	// Async reports an asynchronous download: daStatus 10 is notified only
	// once every file is downloaded.
	Async bool
	// Zip reports that a result (original or parsed) comes as a zip; open
	// it with evidence.Unzip.
	Zip bool
	// FaceRecognition reports that the main process requires it.
	FaceRecognition bool
	Source          Source
	ChildSites      []ChildSite
	// Generation tells which list the site comes from: GenerationCurrent
	// (the current docs) or GenerationSeed (the seed's mainland sites).
	Generation Generation
	// Region is the current docs' country or region ("" for the seed's).
	Region string
	// NameZH is the zh appendix's name, where it has one.
	NameZH string
	// Lists is "en", "zh" or "en, zh": which appendix lists the site.
	Lists string
}

// Generation is which site list a site comes from.
type Generation int

// Generations.
const (
	GenerationSeed    Generation = iota // the seed's mainland sites
	GenerationCurrent                   // the current docs' sites
)

var (
	allWays = []string{"Weixin Miniapp", "SDK", "H5"}
	miniH5  = []string{"Weixin Miniapp", "H5"}
)

// siteTable is the catalogue: the current docs' sites first, then the
// seed's §2.1. It is the one place the catalogue is written.
var siteTable = []SiteInfo{
	{Site: SiteChiyuBank, OfficialName: "Chiyu banking transaction records", NameZH: "集友银行流水", Description: "Chiyu Bank Website", AccessWays: []string{"H5"},
		Files: "csv: 1 (zip)", Zip: true, Source: SourcePCWebpage, Generation: GenerationCurrent, Region: "Hong Kong SAR, China", Lists: "en, zh"},
	{Site: SiteHKTax, OfficialName: "Tax payment e-receipt (HK)", NameZH: "电子缴税凭证（香港地区）", Description: "Hongkong Personal Tax Website", AccessWays: []string{"H5"},
		Files: "pdf: 1 (zip)", Zip: true, Source: SourcePCWebpage, Generation: GenerationCurrent, Region: "Hong Kong SAR, China", Lists: "en, zh"},
	{Site: SiteShopeeData, OfficialName: "Shopee e-commerce data", Description: "Personal profile, address, payment information, Shopee coins, order details", AccessWays: []string{"H5"},
		Files: "html: 5 (zip)", Zip: true, Source: SourcePCWebpage, Generation: GenerationCurrent, Region: "Indonesia", Lists: "en"},
	{Site: SiteBPJSData, OfficialName: "BPJS data", Description: "KARTU DIGITAL, Saldo JHT, Detail Saldo JHT", AccessWays: []string{"H5"},
		Files: "html: 3 (zip)", Zip: true, Source: SourcePCWebpage, Generation: GenerationCurrent, Region: "Indonesia", Lists: "en"},
	{Site: SiteShopeeInfo, OfficialName: "Shopee data", NameZH: "虾皮网数据", Description: "Personal profile, address, payment information, Shopee coins, orders", AccessWays: []string{"H5"},
		Files: "html (zip)", Zip: true, Source: SourcePCWebpage, Generation: GenerationCurrent, Region: "Indonesia", Lists: "zh"},
	{Site: SiteTokopediaInfo, OfficialName: "Tokopedia data", NameZH: "Tokopedia数据", Description: "Personal profile, address, payment information, orders", AccessWays: []string{"H5"},
		Files: "html (zip)", Zip: true, Source: SourceMobileApp, Generation: GenerationCurrent, Region: "Indonesia", Lists: "zh"},
	{Site: SiteBPJSSocial, OfficialName: "Indonesian social security data", NameZH: "印尼社保数据", Description: "Electronic card, social security details", AccessWays: []string{"H5"},
		Files: "xml: 2 (zip)", Zip: true, Source: SourceMobileApp, Generation: GenerationCurrent, Region: "Indonesia", Lists: "zh"},
	{Site: SiteDJPData, OfficialName: "Indonesian personal tax data", NameZH: "印尼个税数据", Description: "Personal information, taxes paid, tax returns", AccessWays: []string{"H5"},
		Files: "html (zip)", Zip: true, Source: SourcePCWebpage, Generation: GenerationCurrent, Region: "Indonesia", Lists: "zh"},
	{Site: SiteDanaInfo, OfficialName: "Dana transaction data", NameZH: "Dana 交易数据", Description: "Personal information, transaction details", AccessWays: []string{"H5"},
		Files: "html: 2-N (zip)", Zip: true, Source: SourceMobileApp, Generation: GenerationCurrent, Region: "Indonesia", Lists: "zh"},

	{Site: SiteTax, OfficialName: "Personal Tax Record", Description: "Individual Electronic Tax Bureau PC Webpage", AccessWays: allWays,
		Files: "PDF: 1, password is the last 6 digits of the ID number", Source: SourcePCWebpage},
	{Site: SiteCSCSE, OfficialName: "Overseas Academic Degree Certification", Description: "Overseas Diploma (CSCSE)", AccessWays: allWays,
		Files: "PNG: 1", Source: SourcePCWebpage},
	{Site: SiteCHSI, OfficialName: "Domestic Academic Degree Certificate", Description: "CHSI Academic Degree Query", AccessWays: allWays,
		Files: "html: 1 + png: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteXLCX, OfficialName: "Domestic Academic Degree Certificate", Description: "CHSI Academic Degree Scattered Query", AccessWays: allWays,
		Files: "html: 1 + png: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteCHSIDegree, OfficialName: "Domestic Degree Query Results", Description: "CHSI Degree Login Query", AccessWays: allWays,
		Files: "html: 1 + png: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteZWFWDiploma, OfficialName: "Domestic Degree Certificate", Description: "CHSI Degree Scattered (ID) Query", AccessWays: allWays,
		Files: "html: 1 + png: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteBeijingEstate, OfficialName: "Beijing Real Estate", Description: "Beijing Real Estate", AccessWays: miniH5,
		Files: "Image: 1~n; multiple properties may be shown in multiple images", Source: SourcePCWebpage},
	{Site: SiteShanghaiEstate, OfficialName: "Shanghai Real Estate", Description: "Shanghai Real Estate", AccessWays: []string{"H5 (Weixin only)"},
		Files: "PDF: 1", Source: SourcePCWebpage},
	{Site: SiteTianjinEstate, OfficialName: "Tianjin Real Estate", Description: "Tianjin Real Estate", AccessWays: allWays,
		Files: "PDF: 1~n, asynchronous download (20 s); multiple properties may be shown in multiple PDFs", Async: true, Source: SourcePCWebpage},
	{Site: SiteChengduEstate, OfficialName: "Chengdu Real Estate", Description: "Chengdu Real Estate", AccessWays: allWays,
		Files: "PDF: 1+3*N (zip), N the number of properties; the parsed file is a zip", Zip: true, Source: SourcePCWebpage},
	{Site: SiteShenzhenSocial, OfficialName: "Shenzhen Social Security", Description: "Shenzhen Social Security", AccessWays: allWays,
		Files: "PDF: 1", Source: SourcePCWebpage},
	{Site: SiteCHSIStatus, OfficialName: "Domestic Academic Status Query Results", Description: "CHSI Academic Status Query", AccessWays: allWays,
		Files: "html: 1 + png: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteTaxEmployer, OfficialName: "Employer Information", Description: "Tax Website Employer Information", AccessWays: allWays,
		Files: "pdf: 1 + html: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteTaxAndEmployer, OfficialName: "Personal Tax Records and Employer Information", Description: "Tax Website Tax Records + Employer Information", AccessWays: allWays,
		Files: "pdf: 1 + html: 1 (zip)", Zip: true, Source: SourcePCWebpage},
	{Site: SiteLangfangEstate, OfficialName: "Langfang Real Estate", Description: "Langfang Real Estate", AccessWays: allWays,
		Files: "pdf: 1", Source: SourcePCWebpage},
	{Site: SiteNanchangEstate, OfficialName: "Nanchang Real Estate", Description: "Nanchang Real Estate", AccessWays: allWays,
		Files: "pdf: 1; multiple properties may be shown in one PDF", Source: SourcePCWebpage},
	{Site: SiteBeijingSocial, OfficialName: "Beijing Social Security", Description: "Beijing Social Security (offline, replaced by National Social Security)", AccessWays: allWays,
		Files: "pdf: 1", Source: SourcePCWebpage},
	{Site: SiteHousingFund, OfficialName: "Housing Provident Fund Information (Payment Details / Loan Details / Authorization Information, as chosen)",
		Description: "Multiple Housing Provident Fund Items", AccessWays: allWays,
		Files: "html: 1+n, asynchronous download by the childSites passed; chrome-gjj-any_baseInfo.html basic information, chrome-gjj-any_jnjl.html payment records",
		Async: true, Source: SourcePCWebpage, ChildSites: []ChildSite{ChildSiteHousingFundPayments}},
	{Site: SiteGovHousingFund, OfficialName: "Housing Provident Fund Query Results", Description: "National Government Service App - Housing Provident Fund", AccessWays: allWays,
		Files: "xml: 1~n, one file per housing provident fund centre (status and balance)", FaceRecognition: true, Source: SourceMobileApp},
	{Site: SiteGovDriverLicense, OfficialName: "Driver's License", Description: "National Government Service App - Driver's License", AccessWays: allWays,
		Files: "html: 1", Source: SourceMobileApp},
	{Site: SiteJiangsuEstate, OfficialName: "Jiangsu Real Estate Query Results", Description: "Jiangsu Government Service App - Jiangsu Real Estate", AccessWays: allWays,
		Files: "zip: 1, unpacked into 1~n png/html, one per property", Zip: true, FaceRecognition: true, Source: SourceMobileApp},
	{Site: SiteTaxIncome, OfficialName: "Personal Income Tax Details", Description: "Tax App - Personal Income Tax Details", AccessWays: allWays,
		Files: "html: 3, asynchronous download (20 s); suffix income1 current year, income2 T-1, income3 T-2", Async: true, Source: SourceMobileApp},
	{Site: SiteAlipay, OfficialName: "Alipay Information (Sesame Credit, Huabei, Jiebei, MyBank Loan, as chosen)", Description: "Alipay App - Multiple Items", AccessWays: allWays,
		Files: "xml: 3~6 incl. ID page and personal information page, asynchronous download (30-40 s); suffixes jiebei, huabei, cr, wsd, personal, idcard",
		Async: true, Source: SourceMobileApp, ChildSites: []ChildSite{ChildSiteSesameCredit, ChildSiteHuabei, ChildSiteJiebei, ChildSiteMyBankLoan}},
	{Site: SiteAlipayData, OfficialName: "Alipay Information (Sesame Credit, Huabei and Jiebei, as chosen)", Description: "Alipay App - Multiple Items", AccessWays: allWays,
		Files: "zip: 1, unpacked into 3~5 xml incl. ID page and personal information page, asynchronous download (30-40 s); suffixes cr, jiebei, huabei, personal, idcard",
		Async: true, Zip: true, Source: SourceMobileApp, ChildSites: []ChildSite{ChildSiteSesameCredit, ChildSiteAlipayQuota}},
	{Site: SiteAlipayMyBank, OfficialName: "Alipay - MyBank Loan", Description: "Alipay - MyBank Loan", AccessWays: allWays,
		Files: "xml: 3 incl. ID page and personal information page, asynchronous download (30-40 s), parsed file is a zip; suffixes wsd, personal, idcard",
		Async: true, Zip: true, Source: SourceMobileApp},
	{Site: SiteTraffic12123, OfficialName: "Electronic Driver's License, Vehicle License, Safe Driving Record, etc. (as chosen)",
		Description: "12123 App - Multiple Items (Vehicle License, Driver's License, Safe Driving Record)", AccessWays: allWays,
		Files: "zip: 1, asynchronous download (30 s~6 min; the safe driving record needs 5 min), parsed file is a zip; jsjl-aqjsjl safe driving record PDF",
		Async: true, Zip: true, Source: SourceMobileApp, ChildSites: []ChildSite{ChildSiteVehicleLicense, ChildSiteDriverLicense, ChildSiteSafeDrivingRecord}},
	{Site: SiteTrafficInsurance, OfficialName: "Compulsory Traffic Insurance Policy", Description: "Compulsory Traffic Insurance Policy", AccessWays: []string{"Miniapp", "SDK", "H5"},
		Files: "app-jst-bd-jqx_0.pdf, index increment naming", Source: SourceMobileApp},
	{Site: SiteMarriageCertified, OfficialName: "Marriage Certificate", Description: "Marriage Certificate (Marriage Certificate, Divorce Certificate)", AccessWays: []string{"Miniapp", "SDK", "H5"},
		Files: "zip: 1, asynchronous download, n certificates of up to 4 files: jhz-index-N.xml, jhz-N.xml, jhz-original-N.xml, jhz-original-img-N.png (lhz- for divorce)",
		Async: true, Zip: true, FaceRecognition: true, Source: SourceMobileApp},
}

// Sites returns the catalogue of §2.1 in the table's order (a copy).
func Sites() []SiteInfo {
	out := make([]SiteInfo, len(siteTable))
	for i, s := range siteTable {
		s.AccessWays = slices.Clone(s.AccessWays)
		s.ChildSites = slices.Clone(s.ChildSites)
		out[i] = s
	}
	return out
}

// Info returns the site's catalogue row; false for a site the appendix
// does not list (the provider adds sites: such a site is still sent).
func (s Site) Info() (SiteInfo, bool) {
	for _, i := range siteTable {
		if i.Site == s {
			i.AccessWays = slices.Clone(i.AccessWays)
			i.ChildSites = slices.Clone(i.ChildSites)
			return i, true
		}
	}
	return SiteInfo{}, false
}

// ChildSites returns the child sites a parent site accepts (nil when it
// has none).
func (s Site) ChildSites() []ChildSite {
	i, _ := s.Info()
	return i.ChildSites
}

// ValidChildSite reports whether c is a child site of parent.
func ValidChildSite(parent Site, c ChildSite) bool {
	return slices.Contains(parent.ChildSites(), c)
}
