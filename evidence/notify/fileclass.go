package notify

import (
	"net/url"
	"path"
	"strconv"
	"strings"
)

// FileKind is what a downloaded file holds, told by the name suffixes the
// appendix lists (§2.1).
type FileKind string

// File kinds.
const (
	FileKindUnknown            FileKind = ""
	FileKindIncomeCurrentYear  FileKind = "income1"          // app-tax-income: current year
	FileKindIncomePriorYear    FileKind = "income2"          // app-tax-income: year T-1
	FileKindIncomeTwoYearsAgo  FileKind = "income3"          // app-tax-income: year T-2
	FileKindSesameCredit       FileKind = "cr"               // Alipay: Sesame Credit
	FileKindHuabei             FileKind = "huabei"           // Alipay: Huabei
	FileKindJiebei             FileKind = "jiebei"           // Alipay: Jiebei
	FileKindMyBankLoan         FileKind = "wsd"              // Alipay: MyBank Loan
	FileKindPersonalInfo       FileKind = "personal"         // Alipay: personal information page
	FileKindIDCard             FileKind = "idcard"           // Alipay: ID information
	FileKindHousingFundBase    FileKind = "baseInfo"         // chrome-gjj-any: basic information page
	FileKindHousingFundPayment FileKind = "jnjl"             // chrome-gjj-any: payment records page
	FileKindSafeDrivingRecord  FileKind = "jsjl-aqjsjl"      // 12123: safe driving record (PDF)
	FileKindVehicleLicense     FileKind = "xsz"              // 12123: vehicle license
	FileKindDriverLicense      FileKind = "jsz"              // 12123: driver's license
	FileKindTrafficInsurance   FileKind = "jqx"              // app-jst-bd: compulsory traffic insurance policy
	FileKindMarriageIndex      FileKind = "jhz-index"        // marriage certificate result page
	FileKindMarriageDetail     FileKind = "jhz"              // marriage certificate details
	FileKindMarriageOriginal   FileKind = "jhz-original"     // marriage certificate original
	FileKindMarriagePhoto      FileKind = "jhz-original-img" // marriage certificate photo
	FileKindDivorceIndex       FileKind = "lhz-index"        // divorce certificate result page
	FileKindDivorceDetail      FileKind = "lhz"              // divorce certificate details
	FileKindDivorceOriginal    FileKind = "lhz-original"     // divorce certificate original
	FileKindDivorcePhoto       FileKind = "lhz-original-img" // divorce certificate photo
	FileKindParsedArchive      FileKind = "parsed"           // a parse-result archive
)

var fileKindText = map[FileKind]string{
	FileKindUnknown:            "unclassified file",
	FileKindIncomeCurrentYear:  "personal income tax details, current year",
	FileKindIncomePriorYear:    "personal income tax details, year T-1",
	FileKindIncomeTwoYearsAgo:  "personal income tax details, year T-2",
	FileKindSesameCredit:       "Alipay Sesame Credit",
	FileKindHuabei:             "Alipay Huabei",
	FileKindJiebei:             "Alipay Jiebei",
	FileKindMyBankLoan:         "Alipay MyBank Loan",
	FileKindPersonalInfo:       "Alipay personal information page",
	FileKindIDCard:             "Alipay ID information",
	FileKindHousingFundBase:    "housing provident fund basic information",
	FileKindHousingFundPayment: "housing provident fund payment records",
	FileKindSafeDrivingRecord:  "12123 safe driving record",
	FileKindVehicleLicense:     "12123 vehicle license",
	FileKindDriverLicense:      "12123 driver's license",
	FileKindTrafficInsurance:   "compulsory traffic insurance policy",
	FileKindMarriageIndex:      "marriage certificate result page",
	FileKindMarriageDetail:     "marriage certificate details",
	FileKindMarriageOriginal:   "marriage certificate original",
	FileKindMarriagePhoto:      "marriage certificate photo",
	FileKindDivorceIndex:       "divorce certificate result page",
	FileKindDivorceDetail:      "divorce certificate details",
	FileKindDivorceOriginal:    "divorce certificate original",
	FileKindDivorcePhoto:       "divorce certificate photo",
	FileKindParsedArchive:      "parse results (zip)",
}

// String describes the kind.
func (k FileKind) String() string {
	if s, ok := fileKindText[k]; ok {
		return s
	}
	return string(k)
}

// FileClass is what ClassifyFile tells of a file name.
type FileClass struct {
	Kind FileKind
	// Index is the file's sequence number where its name has one
	// (jhz-original-2.xml → 2, app-jst-bd-jqx_1.pdf → 1), else 0.
	Index int
	Ext   string // lower case, without the dot ("pdf", "xml")
}

// Description describes the file's kind.
func (c FileClass) Description() string { return c.Kind.String() }

// suffixKinds are the kinds named by a whole '_'-separated token.
var suffixKinds = map[string]FileKind{
	"income1": FileKindIncomeCurrentYear, "income2": FileKindIncomePriorYear, "income3": FileKindIncomeTwoYearsAgo,
	"cr": FileKindSesameCredit, "huabei": FileKindHuabei, "jiebei": FileKindJiebei, "wsd": FileKindMyBankLoan,
	"personal": FileKindPersonalInfo, "idcard": FileKindIDCard,
	"baseinfo": FileKindHousingFundBase, "jnjl": FileKindHousingFundPayment,
	"jsjl-aqjsjl": FileKindSafeDrivingRecord, "xsz": FileKindVehicleLicense, "jsz": FileKindDriverLicense,
	"parsed": FileKindParsedArchive,
}

// certKinds are the certificate file stems, longest first.
var certKinds = []struct {
	prefix string
	kind   FileKind
}{
	{"jhz-original-img-", FileKindMarriagePhoto}, {"lhz-original-img-", FileKindDivorcePhoto},
	{"jhz-original-", FileKindMarriageOriginal}, {"lhz-original-", FileKindDivorceOriginal},
	{"jhz-index-", FileKindMarriageIndex}, {"lhz-index-", FileKindDivorceIndex},
	{"jhz-", FileKindMarriageDetail}, {"lhz-", FileKindDivorceDetail},
}

// ClassifyFile tells what a downloaded file holds from its name, a path or
// a presigned URL (directories, query and fragment are ignored). Names
// look like "<daId>_<hash>_app-alipay-any_huabei.xml",
// "…_app-tax-income_income1.html", "jhz-original-img-1.png" or
// "app-jst-bd-jqx_0.pdf"; a name without a listed suffix is
// FileKindUnknown.
func ClassifyFile(name string) FileClass {
	if u, err := url.Parse(name); err == nil && u.Scheme != "" && u.Host != "" {
		name = u.Path
	} else if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var c FileClass
	stem := name
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, c.Ext = name[:i], strings.ToLower(name[i+1:])
	}
	tokens := strings.Split(stem, "_")
	last := strings.ToLower(tokens[len(tokens)-1])
	for _, ck := range certKinds {
		if n, ok := strings.CutPrefix(last, ck.prefix); ok && isDigits(n) {
			c.Kind, c.Index = ck.kind, atoi(n)
			return c
		}
	}
	if k, ok := suffixKinds[last]; ok {
		c.Kind = k
		return c
	}
	if isDigits(last) && len(tokens) > 1 {
		prev := strings.ToLower(tokens[len(tokens)-2])
		if prev == "jqx" || strings.HasSuffix(prev, "-jqx") {
			c.Kind, c.Index = FileKindTrafficInsurance, atoi(last)
		}
	}
	return c
}

func isDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
