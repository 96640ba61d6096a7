package evidence

import "github.com/bizapi-cn/go-sdk/evidence/notify"

// Site is notify.Site; see there.
type Site = notify.Site

// The current docs' sites (en and zh appendix, 2026): notify's; see there.
const (
	SiteChiyuBank     = notify.SiteChiyuBank
	SiteHKTax         = notify.SiteHKTax
	SiteShopeeData    = notify.SiteShopeeData
	SiteBPJSData      = notify.SiteBPJSData
	SiteShopeeInfo    = notify.SiteShopeeInfo
	SiteTokopediaInfo = notify.SiteTokopediaInfo
	SiteBPJSSocial    = notify.SiteBPJSSocial
	SiteDJPData       = notify.SiteDJPData
	SiteDanaInfo      = notify.SiteDanaInfo
)

// Sites of the seed's §2.1: notify's; see there.
const (
	SiteTax               = notify.SiteTax
	SiteCSCSE             = notify.SiteCSCSE
	SiteCHSI              = notify.SiteCHSI
	SiteXLCX              = notify.SiteXLCX
	SiteCHSIDegree        = notify.SiteCHSIDegree
	SiteZWFWDiploma       = notify.SiteZWFWDiploma
	SiteBeijingEstate     = notify.SiteBeijingEstate
	SiteShanghaiEstate    = notify.SiteShanghaiEstate
	SiteTianjinEstate     = notify.SiteTianjinEstate
	SiteChengduEstate     = notify.SiteChengduEstate
	SiteShenzhenSocial    = notify.SiteShenzhenSocial
	SiteCHSIStatus        = notify.SiteCHSIStatus
	SiteTaxEmployer       = notify.SiteTaxEmployer
	SiteTaxAndEmployer    = notify.SiteTaxAndEmployer
	SiteLangfangEstate    = notify.SiteLangfangEstate
	SiteNanchangEstate    = notify.SiteNanchangEstate
	SiteBeijingSocial     = notify.SiteBeijingSocial
	SiteHousingFund       = notify.SiteHousingFund
	SiteGovHousingFund    = notify.SiteGovHousingFund
	SiteGovDriverLicense  = notify.SiteGovDriverLicense
	SiteJiangsuEstate     = notify.SiteJiangsuEstate
	SiteTaxIncome         = notify.SiteTaxIncome
	SiteAlipay            = notify.SiteAlipay
	SiteAlipayData        = notify.SiteAlipayData
	SiteAlipayMyBank      = notify.SiteAlipayMyBank
	SiteTraffic12123      = notify.SiteTraffic12123
	SiteTrafficInsurance  = notify.SiteTrafficInsurance
	SiteMarriageCertified = notify.SiteMarriageCertified
)

// ChildSite is notify.ChildSite; see there.
type ChildSite = notify.ChildSite

// Child sites: notify's; see there.
const (
	ChildSiteHousingFundPayments = notify.ChildSiteHousingFundPayments
	ChildSiteSesameCredit        = notify.ChildSiteSesameCredit
	ChildSiteHuabei              = notify.ChildSiteHuabei
	ChildSiteJiebei              = notify.ChildSiteJiebei
	ChildSiteMyBankLoan          = notify.ChildSiteMyBankLoan
	ChildSiteAlipayQuota         = notify.ChildSiteAlipayQuota
	ChildSiteVehicleLicense      = notify.ChildSiteVehicleLicense
	ChildSiteDriverLicense       = notify.ChildSiteDriverLicense
	ChildSiteSafeDrivingRecord   = notify.ChildSiteSafeDrivingRecord
)

// Source is notify.Source; see there.
type Source = notify.Source

// Sources: notify's; see there.
const (
	SourcePCWebpage = notify.SourcePCWebpage
	SourceMobileApp = notify.SourceMobileApp
)

// SiteInfo is notify.SiteInfo; see there.
type SiteInfo = notify.SiteInfo

// Generation is notify.Generation; see there.
type Generation = notify.Generation

// Generations: notify's; see there.
const (
	GenerationSeed    = notify.GenerationSeed
	GenerationCurrent = notify.GenerationCurrent
)

// Sites is notify.Sites; see there.
func Sites() []SiteInfo { return notify.Sites() }

// ValidChildSite is notify.ValidChildSite; see there.
func ValidChildSite(parent Site, c ChildSite) bool { return notify.ValidChildSite(parent, c) }
