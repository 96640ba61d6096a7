package evidence

import (
	"strconv"

	"github.com/bizapi-cn/go-sdk/evidence/notify"
)

// DaStatus is notify.DaStatus; see there.
type DaStatus = notify.DaStatus

// Session states: notify's; see there.
const (
	DaStatusNotAgreed             = notify.DaStatusNotAgreed
	DaStatusInitial               = notify.DaStatusInitial
	DaStatusEmailReceived         = notify.DaStatusEmailReceived
	DaStatusDownloading           = notify.DaStatusDownloading
	DaStatusUploaded              = notify.DaStatusUploaded
	DaStatusFirstStageDone        = notify.DaStatusFirstStageDone
	DaStatusSuccess               = notify.DaStatusSuccess
	DaStatusUploadFailed          = notify.DaStatusUploadFailed
	DaStatusIllegalDownload       = notify.DaStatusIllegalDownload
	DaStatusVideoFailed           = notify.DaStatusVideoFailed
	DaStatusTimeout               = notify.DaStatusTimeout
	DaStatusVcodeExpired          = notify.DaStatusVcodeExpired
	DaStatusVcodeExpiredNoCharge  = notify.DaStatusVcodeExpiredNoCharge
	DaStatusReentered             = notify.DaStatusReentered
	DaStatusUserExited            = notify.DaStatusUserExited
	DaStatusEnvironmentAnomaly    = notify.DaStatusEnvironmentAnomaly
	DaStatusSourceSystemFailure   = notify.DaStatusSourceSystemFailure
	DaStatusSourceSystemFailureV  = notify.DaStatusSourceSystemFailureV
	DaStatusSourceBusinessFailure = notify.DaStatusSourceBusinessFailure
	DaStatusSourceBusinessFailV   = notify.DaStatusSourceBusinessFailV
	DaStatusBeehiveTimeout        = notify.DaStatusBeehiveTimeout
	DaStatusBeehiveUserExited     = notify.DaStatusBeehiveUserExited
	DaStatusBeehiveEmailDeleted   = notify.DaStatusBeehiveEmailDeleted
	DaStatusPayScoreNoQRCode      = notify.DaStatusPayScoreNoQRCode
	DaStatusPayScoreNotJoined     = notify.DaStatusPayScoreNotJoined
	DaStatusPayScoreNotShared     = notify.DaStatusPayScoreNotShared
	DaStatusStartError            = notify.DaStatusStartError
	DaStatusNoMachine             = notify.DaStatusNoMachine
	DaStatusOther                 = notify.DaStatusOther
	DaStatusOther2                = notify.DaStatusOther2
	DaStatusFrontEndError         = notify.DaStatusFrontEndError
)

// Mode is notify.Mode; see there.
type Mode = notify.Mode

// Modes: notify's; see there.
const (
	ModeVDI     = notify.ModeVDI
	ModeBeehive = notify.ModeBeehive
	ModeBoth    = notify.ModeBoth
)

// JSONResult is notify.JSONResult; see there.
type JSONResult = notify.JSONResult

// Parse states: notify's; see there.
const (
	JSONResultInitial      = notify.JSONResultInitial
	JSONResultSuccess      = notify.JSONResultSuccess
	JSONResultNotRequired  = notify.JSONResultNotRequired
	JSONResultNoUserData   = notify.JSONResultNoUserData
	JSONResultNameMismatch = notify.JSONResultNameMismatch
	JSONResultRecoverable  = notify.JSONResultRecoverable
	JSONResultFailed       = notify.JSONResultFailed
)

// StatusExt is notify.StatusExt; see there.
type StatusExt = notify.StatusExt

// ChildDa is notify.ChildDa; see there.
type ChildDa = notify.ChildDa

// Code is notify.Code; see there.
type Code = notify.Code

// AccessWay is how the user enters (appendix §4).
type AccessWay string

// Access ways.
const (
	AccessWayMiniapp             AccessWay = "miniapp"
	AccessWayMiniappWithCA       AccessWay = "miniappwithca"
	AccessWayFullMiniapp         AccessWay = "fullminiapp"
	AccessWayWeH5ToMiniapp       AccessWay = "weh52miniapp"
	AccessWayWeH5ToMiniappWithCA AccessWay = "weh52miniappwithca"
	AccessWayH5ToMiniapp         AccessWay = "h52miniapp"
	AccessWayH5ToMiniappWithCA   AccessWay = "h52miniappwithca"
	AccessWayH5ToFullMiniapp     AccessWay = "h52fullminiapp"
	AccessWaySDK                 AccessWay = "sdk"
	AccessWayH5                  AccessWay = "h5"
)

func itoa(n int) string { return strconv.Itoa(n) }
