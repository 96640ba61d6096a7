package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// DaStatus is a session state (appendix §3.1).
type DaStatus int

// Session states.
const (
	DaStatusNotAgreed             DaStatus = -4 // pre-page "Agree" not clicked yet
	DaStatusInitial               DaStatus = 0
	DaStatusEmailReceived         DaStatus = 4 // Beehive
	DaStatusDownloading           DaStatus = 5
	DaStatusUploaded              DaStatus = 8
	DaStatusFirstStageDone        DaStatus = 9
	DaStatusSuccess               DaStatus = 10
	DaStatusUploadFailed          DaStatus = 13
	DaStatusIllegalDownload       DaStatus = 14
	DaStatusVideoFailed           DaStatus = 15
	DaStatusTimeout               DaStatus = 20
	DaStatusVcodeExpired          DaStatus = 21
	DaStatusVcodeExpiredNoCharge  DaStatus = 22
	DaStatusReentered             DaStatus = 24
	DaStatusUserExited            DaStatus = 25
	DaStatusEnvironmentAnomaly    DaStatus = 30
	DaStatusSourceSystemFailure   DaStatus = 41
	DaStatusSourceSystemFailureV  DaStatus = 42
	DaStatusSourceBusinessFailure DaStatus = 43
	DaStatusSourceBusinessFailV   DaStatus = 44
	DaStatusBeehiveTimeout        DaStatus = 50
	DaStatusBeehiveUserExited     DaStatus = 51
	DaStatusBeehiveEmailDeleted   DaStatus = 53
	DaStatusPayScoreNoQRCode      DaStatus = 60
	DaStatusPayScoreNotJoined     DaStatus = 61
	DaStatusPayScoreNotShared     DaStatus = 62
	DaStatusStartError            DaStatus = 92
	DaStatusNoMachine             DaStatus = 94
	DaStatusOther                 DaStatus = 100
	DaStatusOther2                DaStatus = 101
	DaStatusFrontEndError         DaStatus = -60000
)

// Mode is the acquisition mode a status belongs to.
type Mode string

// Modes.
const (
	ModeVDI     Mode = "VDI"
	ModeBeehive Mode = "Beehive"
	ModeBoth    Mode = "VDI/Beehive"
)

type statusInfo struct {
	name  string
	final bool
	valid bool // a "valid operation": billable
	mode  Mode
}

// statuses is table §3.1.
var statuses = map[DaStatus]statusInfo{
	DaStatusNotAgreed:             {"not agreed yet", false, false, ModeVDI},
	DaStatusInitial:               {"initial state", false, false, ModeBoth},
	DaStatusEmailReceived:         {"email received", false, false, ModeBeehive},
	DaStatusDownloading:           {"data downloading", false, false, ModeVDI},
	DaStatusUploaded:              {"data upload successful", false, false, ModeVDI},
	DaStatusFirstStageDone:        {"first stage complete", false, true, ModeVDI},
	DaStatusSuccess:               {"evidence collection successful", true, true, ModeBoth},
	DaStatusUploadFailed:          {"data upload failed", true, false, ModeVDI},
	DaStatusIllegalDownload:       {"illegal data download", true, true, ModeVDI},
	DaStatusVideoFailed:           {"evidence video processing failed", true, false, ModeVDI},
	DaStatusTimeout:               {"clean environment use timeout", true, true, ModeBoth},
	DaStatusVcodeExpired:          {"vcode expired", true, true, ModeVDI},
	DaStatusVcodeExpiredNoCharge:  {"vcode expired, no charge", true, false, ModeBeehive},
	DaStatusReentered:             {"user re-entry", true, true, ModeVDI},
	DaStatusUserExited:            {"user terminated", true, true, ModeBoth},
	DaStatusEnvironmentAnomaly:    {"clean environment anomaly", true, false, ModeVDI},
	DaStatusSourceSystemFailure:   {"data source system failure (invalid operation)", true, false, ModeVDI},
	DaStatusSourceSystemFailureV:  {"data source system failure (valid operation)", true, true, ModeVDI},
	DaStatusSourceBusinessFailure: {"data source business failure (invalid operation)", true, false, ModeVDI},
	DaStatusSourceBusinessFailV:   {"data source business failure (valid operation)", true, true, ModeVDI},
	DaStatusBeehiveTimeout:        {"Beehive timeout, no email", true, false, ModeBeehive},
	DaStatusBeehiveUserExited:     {"Beehive user exited, no email", true, false, ModeBeehive},
	DaStatusBeehiveEmailDeleted:   {"Beehive email deleted", true, false, ModeBeehive},
	DaStatusPayScoreNoQRCode:      {"Weixin Payment Score: QR code not obtained", true, false, ModeBeehive},
	DaStatusPayScoreNotJoined:     {"Weixin Payment Score: group not joined", true, false, ModeBeehive},
	DaStatusPayScoreNotShared:     {"Weixin Payment Score: card not shared", true, false, ModeBeehive},
	DaStatusStartError:            {"start error", true, false, ModeVDI},
	DaStatusNoMachine:             {"no machine allocated", true, false, ModeVDI},
	DaStatusOther:                 {"other (reserved)", true, false, ""},
	DaStatusOther2:                {"other 2 (reserved)", true, true, ""},
	DaStatusFrontEndError:         {"front-end fallback error", true, false, ""},
}

// String names the status.
func (s DaStatus) String() string {
	if i, ok := statuses[s]; ok {
		return i.name
	}
	return "unknown daStatus"
}

// IsFinal reports a final state: 10, or any failure (13..100 and the final
// entries of the table).
func (s DaStatus) IsFinal() bool {
	if i, ok := statuses[s]; ok {
		return i.final
	}
	return s >= 13 && s <= 100
}

// IsSuccess reports daStatus 10.
func (s DaStatus) IsSuccess() bool { return s == DaStatusSuccess }

// IsValidOperation reports a billable ("valid operation") state.
func (s DaStatus) IsValidOperation() bool { return statuses[s].valid }

// Mode returns the mode the status occurs in ("" when unknown).
func (s DaStatus) Mode() Mode { return statuses[s].mode }

// CanReuseEmail reports whether a Beehive session that ended at endedAt in
// status 20 or 25 (email received) can be re-entered at now reusing the
// email: within 23 hours, before the mailbox deletes it at 24.
func (s DaStatus) CanReuseEmail(endedAt, now time.Time) bool {
	return (s == DaStatusTimeout || s == DaStatusUserExited) && now.Sub(endedAt) < 23*time.Hour
}

// JSONResult is the parse state (appendix §3.2).
type JSONResult int

// Parse states.
const (
	JSONResultInitial      JSONResult = 5 // with daStatus 10: parsing failed
	JSONResultSuccess      JSONResult = 10
	JSONResultNotRequired  JSONResult = 11
	JSONResultNoUserData   JSONResult = 12
	JSONResultNameMismatch JSONResult = 13
	JSONResultRecoverable  JSONResult = 100 // non-terminal: parsing may still succeed
	JSONResultFailed       JSONResult = 101 // terminal failure
)

// Final reports a jsonResult after which parsing will not change: 10, 11,
// 12, 13 and 101 (5 and 100 may still move).
func (j JSONResult) Final() bool {
	switch j {
	case JSONResultSuccess, JSONResultNotRequired, JSONResultNoUserData, JSONResultNameMismatch, JSONResultFailed:
		return true
	}
	return false
}

// UnmarshalJSON accepts a number or a string of digits: the docs type
// childDaList[].daStatus as String and data.daStatus as Int.
func (s *DaStatus) UnmarshalJSON(b []byte) error {
	n, err := intOrString(b)
	if err != nil {
		return fmt.Errorf("evidence: daStatus: %w", err)
	}
	*s = DaStatus(n)
	return nil
}

// UnmarshalJSON accepts a number or a string of digits.
func (j *JSONResult) UnmarshalJSON(b []byte) error {
	n, err := intOrString(b)
	if err != nil {
		return fmt.Errorf("evidence: jsonResult: %w", err)
	}
	*j = JSONResult(n)
	return nil
}

// intOrString decodes 10, "10" or null (0).
func intOrString(b []byte) (int, error) {
	s := string(b)
	if s == "null" {
		return 0, nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
		if s == "" {
			return 0, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errors.New("want an integer or a string of digits")
	}
	return n, nil
}

// StatusExt is the ext of a status or notification: the failure detail
// and, for a parent site (app-alipay-any, app-tmri-any, …), its children.
type StatusExt struct {
	DaSubStatus Code      `json:"daSubStatus"`
	ChildDaList []ChildDa `json:"childDaList"`
	Province    string    `json:"province"` // national social security: the province chosen
	City        string    `json:"city"`
}

// ChildDa is one child session of a parent site. The docs type daStatus
// and daSubStatus as strings here; numbers are accepted too.
type ChildDa struct {
	DaID        string   `json:"daId"`
	Site        Site     `json:"site"`
	DaStatus    DaStatus `json:"daStatus"`
	DaSubStatus Code     `json:"daSubStatus"`
}

// Code is a code the provider sends as a JSON string or number
// (daSubStatus, dlResult); it keeps the digits as text.
type Code string

// UnmarshalJSON accepts "81530", 81530 and null.
func (c *Code) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return errors.New("evidence: code is not a valid string")
		}
		*c = Code(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("evidence: code is neither a string nor a number")
	}
	*c = Code(n)
	return nil
}
