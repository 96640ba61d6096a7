package notify

import (
	"strconv"
	"strings"
)

// SubStatus is one row of the daSubStatus tables (appendix §9): why a
// session failed, and what to tell the user. daSubStatus details a
// failure; it is not a billing criterion.
type SubStatus struct {
	DaStatus DaStatus
	Code     int
	CodeTo   int    // last code of a range row (100550~100599); 0 for one code
	Source   string // "general", "alipay", "tax", "chesicc", "12123"
	Item     string // the table's site or failure type; "" in the general table
	// JSONResult is the table's jsonResult (0 where the table has none).
	JSONResult JSONResult
	Scenario   string
	// Handling is the suggested handling: the 12123 table's own column;
	// for the other tables, which have none, the SDK's advice from the
	// scenario (not the docs' words).
	Handling string
	// RetryLater reports a failure on the source's side: the user may try
	// again later and succeed.
	RetryLater bool
}

// Matches reports whether the row covers (daStatus, code).
func (s SubStatus) Matches(da DaStatus, code int) bool {
	if s.DaStatus != da {
		return false
	}
	if s.CodeTo == 0 {
		return code == s.Code
	}
	return code >= s.Code && code <= s.CodeTo
}

const (
	retryHint   = "Suggest the user retry at an appropriate time"
	accountHint = "Ask the user to complete this in the app or website, then acquire again"
)

// subStatusTable is §9: the general, Alipay, tax, CHESICC and 12123
// tables. Blank daStatus and jsonResult cells take the row above.
var subStatusTable = []SubStatus{
	// General
	{DaStatus: 41, Code: 80020, Source: "general", Scenario: "Website is not accessible", Handling: retryHint, RetryLater: true},
	{DaStatus: 43, Code: 60026, Source: "general", Scenario: "User device or environment does not support the trtc function", Handling: "Ask the user to use another device"},
	{DaStatus: 43, Code: 60028, Source: "general", Scenario: "trtc processing exception", Handling: retryHint, RetryLater: true},
	{DaStatus: 43, Code: 60029, Source: "general", Scenario: "iOS SDK does not support face brushing", Handling: "Offer another access way (miniapp or H5)"},
	{DaStatus: 43, Code: 60030, Source: "general", Scenario: "Android SDK does not support face brushing", Handling: "Offer another access way (miniapp or H5)"},
	{DaStatus: 44, Code: 81535, Source: "general", Scenario: "No data", Handling: "Tell the user the source holds no data for them"},
	{DaStatus: 44, Code: 60027, Source: "general", Scenario: "User denied camera access", Handling: "Ask the user to allow camera access and acquire again"},
	{DaStatus: 44, Code: 100099, Source: "general", Scenario: "Not the person themselves", Handling: "The account holder must acquire their own data"},

	// Alipay
	{DaStatus: 44, Code: 100401, Source: "alipay", Item: "Alipay General", JSONResult: 5, Scenario: "Account logged in on another device", Handling: "Ask the user to stay logged out of Alipay on other devices and acquire again"},
	{DaStatus: 44, Code: 100414, Source: "alipay", Item: "Alipay General", JSONResult: 5, Scenario: "Blank page", Handling: retryHint, RetryLater: true},
	{DaStatus: 44, Code: 100430, Source: "alipay", Item: "Alipay General", JSONResult: 5, Scenario: "Unauthenticated", Handling: accountHint},
	{DaStatus: 43, Code: 100500, Source: "alipay", Item: "Alipay General", JSONResult: 5, Scenario: "Account has security risk", Handling: "Ask the user to resolve the account's security check in Alipay"},
	{DaStatus: 44, Code: 100402, Source: "alipay", Item: "Sesame Score", JSONResult: 5, Scenario: "Not real-name authenticated", Handling: accountHint},
	{DaStatus: 44, Code: 100404, Source: "alipay", Item: "Sesame Score", JSONResult: 5, Scenario: "User not subscribed", Handling: accountHint},
	{DaStatus: 44, Code: 100403, Source: "alipay", Item: "Sesame Score", JSONResult: 5, Scenario: "Sesame Credit service has stopped", Handling: "Tell the user the service is not available to them"},
	{DaStatus: 44, Code: 100408, Source: "alipay", Item: "Ant Credit Pay (Huabei)", JSONResult: 5, Scenario: "Not real-name authenticated", Handling: accountHint},
	{DaStatus: 44, Code: 100407, Source: "alipay", Item: "Ant Credit Pay (Huabei)", JSONResult: 5, Scenario: "User not subscribed", Handling: accountHint},
	{DaStatus: 44, Code: 100413, Source: "alipay", Item: "Ant Credit Pay (Huabei)", JSONResult: 5, Scenario: "Complete shared Ant Credit Pay security verification", Handling: accountHint},
	{DaStatus: 44, Code: 100411, Source: "alipay", Item: "Borrow (Jiebei)", JSONResult: 5, Scenario: "Not real-name authenticated", Handling: accountHint},
	{DaStatus: 44, Code: 100410, Source: "alipay", Item: "Borrow (Jiebei)", JSONResult: 5, Scenario: "User not subscribed", Handling: accountHint},
	{DaStatus: 44, Code: 100412, Source: "alipay", Item: "Borrow (Jiebei)", JSONResult: 5, Scenario: "Account information changed: log in again for security", Handling: "Ask the user to log in to Alipay again, then acquire again"},
	{DaStatus: 44, Code: 100418, Source: "alipay", Item: "MYbank", JSONResult: 5, Scenario: "Not real-name authenticated", Handling: accountHint},
	{DaStatus: 44, Code: 100415, Source: "alipay", Item: "MYbank", JSONResult: 5, Scenario: "User not subscribed (go apply)", Handling: accountHint},

	// Personal income tax (PC)
	{DaStatus: 41, Code: 81530, Source: "tax", Item: "Tax (tax)", JSONResult: 5, Scenario: "System maintenance", Handling: retryHint, RetryLater: true},
	{DaStatus: 41, Code: 81531, Source: "tax", Item: "Tax (tax)", JSONResult: 5, Scenario: "Personal tax system exception", Handling: retryHint, RetryLater: true},
	{DaStatus: 41, Code: 81532, Source: "tax", Item: "Tax (tax)", JSONResult: 5, Scenario: "Cannot connect to the server", Handling: retryHint, RetryLater: true},
	{DaStatus: 41, Code: 81533, Source: "tax", Item: "Tax (tax)", JSONResult: 5, Scenario: "Cannot access the network", Handling: retryHint, RetryLater: true},
	{DaStatus: 41, Code: 81534, Source: "tax", Item: "Tax (tax)", JSONResult: 5, Scenario: "Server response slow", Handling: retryHint, RetryLater: true},
	{DaStatus: 44, Code: 100503, Source: "tax", Item: "Tax (tax)", JSONResult: 5, Scenario: "Annual settlement declaration not completed", Handling: "Ask the user to complete the annual settlement, then acquire again"},

	// CHESICC (PC)
	{DaStatus: 44, Code: 82549, Source: "chesicc", Item: "CHESICC General (Education/Academic/Degree)", JSONResult: 5, Scenario: "No education", Handling: "Tell the user CHESICC holds no record for them"},
	{DaStatus: 44, Code: 82550, Source: "chesicc", Item: "CHESICC General (Education/Academic/Degree)", JSONResult: 5, Scenario: "User has canceled", Handling: "The user cancelled: offer to acquire again"},
	{DaStatus: 44, Code: 82551, Source: "chesicc", Item: "CHESICC General (Education/Academic/Degree)", JSONResult: 5, Scenario: "School verification exceeded times", Handling: retryHint, RetryLater: true},

	// Traffic Management 12123 app
	{DaStatus: 41, Code: 100551, Source: "12123", Item: "Traffic Management 12123 Exception", Scenario: "Data cannot be found in some areas periodically, or risk control is triggered", Handling: retryHint, RetryLater: true},
	{DaStatus: 43, Code: 100562, Source: "12123", Item: "Traffic Management 12123 Exception", Scenario: "APP server issue", Handling: retryHint, RetryLater: true},
	{DaStatus: 41, Code: 100563, CodeTo: 100566, Source: "12123", Item: "Traffic Management 12123 Exception", Scenario: "Triggered APP risk control black box", Handling: retryHint, RetryLater: true},
	{DaStatus: 43, Code: 100550, CodeTo: 100599, Source: "12123", Item: "Traffic Management 12123 Exception", Scenario: "System failure", Handling: retryHint, RetryLater: true},
	{DaStatus: 44, Code: 100524, Source: "12123", Item: "General download failure", Scenario: "The 12123 app does not support multi-device login: logging in again logs off the previous device, causing the download to fail",
		Handling: "Advise the user to authorize the download and not to log in to the 12123 app on their phone within 15 minutes"},
	{DaStatus: 44, Code: 100510, Source: "12123", Item: "Electronic driving license", Scenario: "User does not have a driving license, or the 12123 app data is wrong",
		Handling: "If the user insists on having a driving license, they appeal in the 12123 app themselves"},
	{DaStatus: 44, Code: 100517, Source: "12123", Item: "Electronic driving license", Scenario: "User has applied for an electronic driving license, but it has not been approved yet",
		Handling: "Guide the user to log in to the 12123 app, confirm the application succeeded, then acquire again"},
	{DaStatus: 44, Code: 100518, Source: "12123", Item: "Electronic driving license", Scenario: "User has not applied for an electronic driving license",
		Handling: "Guide the user to log in to the 12123 app, apply for an electronic driving license, confirm it succeeded, then acquire again"},
	{DaStatus: 44, Code: 100519, Source: "12123", Item: "Electronic driving license", Scenario: "User did not enter the validity period of the document",
		Handling: "Guide the user to log in to the 12123 app, enter the identity document's validity period, then acquire again"},
	{DaStatus: 44, Code: 100525, Source: "12123", Item: "Electronic driving license", Scenario: "User did not upload certificate photo information",
		Handling: "Guide the user to log in to the 12123 app, upload the document photo, then acquire again"},
	{DaStatus: 44, Code: 100526, Source: "12123", Item: "Electronic driving license", Scenario: "Official re-download required",
		Handling: "Ask the user to log in to the 12123 app, confirm the download succeeded, then acquire again"},
	{DaStatus: 44, Code: 100511, Source: "12123", Item: "Vehicle license information", Scenario: "User has not bound the vehicle license",
		Handling: "Guide the user to log in to the 12123 app, bind the vehicle license, then acquire again"},
	{DaStatus: 44, Code: 100523, Source: "12123", Item: "Safe driving record", Scenario: "During the download the official did not approve the safe driving record application in time",
		Handling: "Let the user wait for the 12123 text message that the application succeeded, then acquire again", RetryLater: true},
}

// LookupSubStatus returns the §9 row for (daStatus, daSubStatus): a row for
// exactly that code first, else a range row.
func LookupSubStatus(da DaStatus, code int) (SubStatus, bool) {
	var ranged *SubStatus
	for i := range subStatusTable {
		s := &subStatusTable[i]
		if !s.Matches(da, code) {
			continue
		}
		if s.CodeTo == 0 {
			return *s, true
		}
		if ranged == nil {
			ranged = s
		}
	}
	if ranged != nil {
		return *ranged, true
	}
	return SubStatus{}, false
}

// LookupSubStatusString is LookupSubStatus for the string form the API
// sends; an empty or non-numeric code finds nothing.
func LookupSubStatusString(da DaStatus, code string) (SubStatus, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(code))
	if err != nil {
		return SubStatus{}, false
	}
	return LookupSubStatus(da, n)
}

// SubStatuses returns the §9 tables (a copy).
func SubStatuses() []SubStatus { return append([]SubStatus(nil), subStatusTable...) }

// SubStatus explains a daFailed notification: the §9 row of its daStatus
// and daSubStatus.
func (n *Notification) SubStatus() (SubStatus, bool) {
	return LookupSubStatusString(n.Data.DaStatus, string(n.Data.Ext.DaSubStatus))
}
