package evidence_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
)

// TestSites: every site of §2.1 is listed once, in the table's order, with
// its name and file formats; the four parents have the spec's children.
func TestSites(t *testing.T) {
	t.Parallel()
	// The current docs' sites (en and zh appendix), then the seed's.
	want := []string{"chrome-chiyubank-jyj", "chrome-govhk-tax", "chrome-shopee-data", "chrome-bpjs-data", "chrome-shopee-info",
		"hwapp-tokopedia-info", "hwapp-bpjs-ynsb", "chrome-djp-data", "hwapp-dana-info", "tax", "cscse", "chsi", "xlcx", "chrome-chsi-xw", "chrome-zwfw-diploma", "bjbdc", "shbdc", "chrome-tjbdc",
		"chrome-cdzjryb-bdc", "sipub", "chsixj", "taxe", "taxeat", "chrome-lfbdc-bdc", "chrome-ncsbdc-bdc", "bjsb", "chrome-gjj-any",
		"app-gjzwfw-gjj", "app-gjzwfw-jsz", "app-jszwfw", "app-tax-income", "app-alipay-any", "app-alipaydata-any", "app-alipay-wsd",
		"app-tmri-any", "app-jst-bd", "app-gjzwfw-hyzj"}
	var got []string
	for _, s := range evidence.Sites() {
		got = append(got, string(s.Site))
		if s.OfficialName == "" || s.Description == "" || s.Files == "" || len(s.AccessWays) == 0 || s.Source == "" {
			t.Errorf("%s: incomplete row %+v", s.Site, s)
		}
		if strings.Contains(s.Files, "</br>") || strings.Contains(s.Files, "**") {
			t.Errorf("%s: markup left in %q", s.Site, s.Files)
		}
		if info, ok := s.Site.Info(); !ok || info.OfficialName != s.OfficialName {
			t.Errorf("%s: Info = %+v, %v", s.Site, info, ok)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("sites = %v\nwant %v", got, want)
	}
	children := map[evidence.Site][]evidence.ChildSite{
		evidence.SiteHousingFund:  {"chrome-gjj-jnjl"},
		evidence.SiteAlipay:       {"app-alipay-cr", "app-alipay-huabei", "app-alipay-jiebei", "app-alipay-wsd"},
		evidence.SiteAlipayData:   {"app-alipay-cr", "app-alipay-quota"},
		evidence.SiteTraffic12123: {"app-tmri-xsz", "app-tmri-jsz", "app-tmri-jsjl"},
	}
	for _, s := range evidence.Sites() {
		if w := children[s.Site]; !slices.Equal(s.ChildSites, w) {
			t.Errorf("%s children = %v; want %v", s.Site, s.ChildSites, w)
		}
	}
	if !evidence.ValidChildSite(evidence.SiteAlipayData, evidence.ChildSiteAlipayQuota) || evidence.ValidChildSite(evidence.SiteAlipay, evidence.ChildSiteAlipayQuota) {
		t.Error("app-alipay-quota belongs to app-alipaydata-any only")
	}
	if _, ok := evidence.Site("no-such-site").Info(); ok {
		t.Error("an unlisted site has Info")
	}
	// Sites returns a copy: changing it does not change the catalogue.
	s := evidence.Sites()
	s[0].ChildSites = append(s[0].ChildSites, "x")
	s[31].ChildSites[0] = "changed"
	if evidence.SiteAlipay.ChildSites()[0] != evidence.ChildSiteSesameCredit || len(evidence.SiteTax.ChildSites()) != 0 {
		t.Error("Sites leaked the catalogue")
	}
	if info, _ := evidence.SiteHKTax.Info(); info.Generation != evidence.GenerationCurrent || info.NameZH == "" || info.Lists != "en, zh" {
		t.Errorf("chrome-govhk-tax = %+v", info)
	}
	if info, _ := evidence.SiteTax.Info(); info.Generation != evidence.GenerationSeed {
		t.Errorf("tax = %+v", info)
	}
	if info, _ := evidence.SiteMarriageCertified.Info(); !info.FaceRecognition || !info.Zip || !info.Async {
		t.Errorf("app-gjzwfw-hyzj = %+v", info)
	}
}

// TestSubStatus: a row of every §9 table; exact codes win over ranges;
// the daStatus must match; the string form the API sends parses.
func TestSubStatus(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		da       evidence.DaStatus
		code     string
		source   string
		scenario string
		retry    bool
	}{
		{41, "80020", "general", "Website is not accessible", true},
		{44, "60027", "general", "User denied camera access", false},
		{43, "60030", "general", "Android SDK does not support face brushing", false},
		{44, "100430", "alipay", "Unauthenticated", false},
		{43, "100500", "alipay", "Account has security risk", false},
		{44, "100415", "alipay", "User not subscribed (go apply)", false},
		{41, "81534", "tax", "Server response slow", true},
		{44, "100503", "tax", "Annual settlement declaration not completed", false},
		{44, "82551", "chesicc", "School verification exceeded times", true},
		{43, "100562", "12123", "APP server issue", true}, // exact, inside the 43 range
		{43, "100570", "12123", "System failure", true},   // the 43 range
		{41, "100564", "12123", "Triggered APP risk control black box", true},
		{44, "100523", "12123", "During the download the official did not approve the safe driving record application in time", true},
		{44, " 100401 ", "alipay", "Account logged in on another device", false},
	} {
		s, ok := evidence.LookupSubStatusString(c.da, c.code)
		if !ok || s.Source != c.source || s.Scenario != c.scenario || s.RetryLater != c.retry || s.Handling == "" {
			t.Errorf("(%d, %q) = %+v, %v; want %s %q", c.da, c.code, s, ok, c.source, c.scenario)
		}
	}
	for _, c := range []struct {
		da   evidence.DaStatus
		code string
	}{{44, "80020"}, {41, "100570"}, {44, ""}, {44, "abc"}, {10, "0"}, {43, "100600"}} {
		if s, ok := evidence.LookupSubStatusString(c.da, c.code); ok {
			t.Errorf("(%d, %q) = %+v; want no row", c.da, c.code, s)
		}
	}
	seen := map[[2]int]bool{}
	for _, s := range evidence.SubStatuses() {
		k := [2]int{int(s.DaStatus), s.Code}
		if seen[k] {
			t.Errorf("duplicate row %v", k)
		}
		seen[k] = true
		if !s.DaStatus.IsFinal() {
			t.Errorf("row %v: daStatus not final", k)
		}
	}
	if len(seen) != 45 {
		t.Errorf("%d rows; the §9 tables have 45 rows with a daSubStatus (8 general, 15 Alipay, 6 tax, 3 CHESICC, 13 12123)", len(seen))
	}
}

// TestClassifyFile: the suffixes of §2.1 in real-shaped names, URLs and
// paths; keywords inside a longer token are not matched.
func TestClassifyFile(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		kind  evidence.FileKind
		index int
		ext   string
	}{
		{"de1uahd81493120767678877696_7e124dc1ada11b91527e6e6961acc97a_app-tax-income_income1.html", evidence.FileKindIncomeCurrentYear, 0, "html"},
		{"DA1_app-tax-income_income2.html", evidence.FileKindIncomePriorYear, 0, "html"},
		{"DA1_app-tax-income_income3.HTML", evidence.FileKindIncomeTwoYearsAgo, 0, "html"},
		{"https://cos.example/DA1_app-alipay-any_huabei.xml?sign=q-sign-algorithm%3Dsha1#frag", evidence.FileKindHuabei, 0, "xml"},
		{"DA1_app-alipay-any_jiebei.xml", evidence.FileKindJiebei, 0, "xml"},
		{"DA1_app-alipay-any_cr.xml", evidence.FileKindSesameCredit, 0, "xml"},
		{"DA1_app-alipay-wsd_wsd.xml", evidence.FileKindMyBankLoan, 0, "xml"},
		{"/tmp/out/DA1_app-alipay-any_personal.xml", evidence.FileKindPersonalInfo, 0, "xml"},
		{`C:\out\DA1_app-alipay-any_idcard.xml`, evidence.FileKindIDCard, 0, "xml"},
		{"chrome-gjj-any_baseInfo.html", evidence.FileKindHousingFundBase, 0, "html"},
		{"chrome-gjj-any_jnjl.html", evidence.FileKindHousingFundPayment, 0, "html"},
		{"app-tmri-any_jsjl-aqjsjl.pdf", evidence.FileKindSafeDrivingRecord, 0, "pdf"},
		{"app-jst-bd-jqx_0.pdf", evidence.FileKindTrafficInsurance, 0, "pdf"},
		{"DA1_app-jst-bd-jqx_3.pdf", evidence.FileKindTrafficInsurance, 3, "pdf"},
		{"jhz-index-1.xml", evidence.FileKindMarriageIndex, 1, "xml"},
		{"jhz-1.xml", evidence.FileKindMarriageDetail, 1, "xml"},
		{"jhz-original-2.xml", evidence.FileKindMarriageOriginal, 2, "xml"},
		{"jhz-original-img-1.png", evidence.FileKindMarriagePhoto, 1, "png"},
		{"lhz-index-1.xml", evidence.FileKindDivorceIndex, 1, "xml"},
		{"lhz-3.xml", evidence.FileKindDivorceDetail, 3, "xml"},
		{"lhz-original-1.xml", evidence.FileKindDivorceOriginal, 1, "xml"},
		{"lhz-original-img-4.png", evidence.FileKindDivorcePhoto, 4, "png"},
		{"DA1_tax_parsed.zip", evidence.FileKindParsedArchive, 0, "zip"},
		{"DA1_%E6%96%87%E4%BB%B6_huabei.xml", evidence.FileKindHuabei, 0, "xml"},
		// not listed suffixes, or keywords inside longer tokens
		{"DA1_tax_0.pdf", evidence.FileKindUnknown, 0, "pdf"},
		{"DA1_credit.xml", evidence.FileKindUnknown, 0, "xml"},
		{"DA1_myidcard.xml", evidence.FileKindUnknown, 0, "xml"},
		{"DA1_huabei-old.xml", evidence.FileKindUnknown, 0, "xml"},
		{"jhz-original-img-x.png", evidence.FileKindUnknown, 0, "png"},
		{"DA1_tax_3.pdf", evidence.FileKindUnknown, 0, "pdf"},
		{"", evidence.FileKindUnknown, 0, ""},
		{"huabei", evidence.FileKindHuabei, 0, ""},
	} {
		got := evidence.ClassifyFile(c.name)
		if got.Kind != c.kind || got.Index != c.index || got.Ext != c.ext {
			t.Errorf("ClassifyFile(%q) = %+v; want %q #%d .%s", c.name, got, c.kind, c.index, c.ext)
		}
		if got.Description() == "" {
			t.Errorf("ClassifyFile(%q): no description", c.name)
		}
	}
}

// FuzzClassifyFile: any name classifies without panicking, to a known kind
// with a lower-case extension.
func FuzzClassifyFile(f *testing.F) {
	for _, s := range []string{"DA1_app-alipay-any_huabei.xml", "jhz-original-img-1.png", "app-jst-bd-jqx_0.pdf", "https://x/a_b.c?d#e", "%zz", "..", "/", "a_", "https://x/..%5C..%5Cy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c := evidence.ClassifyFile(name)
		if c.Ext != strings.ToLower(c.Ext) {
			t.Fatalf("Ext %q is not lower case", c.Ext)
		}
		if c.Kind.String() == "" || c.Index < 0 {
			t.Fatalf("class %+v", c)
		}
		// FileName of the same input (as a URL) stays inside a folder.
		if n := evidence.FileName(name); n == "." || n == ".." || strings.ContainsAny(n, "/\\\x00") {
			t.Fatalf("FileName(%q) = %q", name, n)
		}
	})
}
