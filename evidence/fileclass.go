package evidence

import "github.com/bizapi-cn/go-sdk/evidence/notify"

// FileKind is notify.FileKind; see there.
type FileKind = notify.FileKind

// File kinds: notify's; see there.
const (
	FileKindUnknown            = notify.FileKindUnknown
	FileKindIncomeCurrentYear  = notify.FileKindIncomeCurrentYear
	FileKindIncomePriorYear    = notify.FileKindIncomePriorYear
	FileKindIncomeTwoYearsAgo  = notify.FileKindIncomeTwoYearsAgo
	FileKindSesameCredit       = notify.FileKindSesameCredit
	FileKindHuabei             = notify.FileKindHuabei
	FileKindJiebei             = notify.FileKindJiebei
	FileKindMyBankLoan         = notify.FileKindMyBankLoan
	FileKindPersonalInfo       = notify.FileKindPersonalInfo
	FileKindIDCard             = notify.FileKindIDCard
	FileKindHousingFundBase    = notify.FileKindHousingFundBase
	FileKindHousingFundPayment = notify.FileKindHousingFundPayment
	FileKindSafeDrivingRecord  = notify.FileKindSafeDrivingRecord
	FileKindVehicleLicense     = notify.FileKindVehicleLicense
	FileKindDriverLicense      = notify.FileKindDriverLicense
	FileKindTrafficInsurance   = notify.FileKindTrafficInsurance
	FileKindMarriageIndex      = notify.FileKindMarriageIndex
	FileKindMarriageDetail     = notify.FileKindMarriageDetail
	FileKindMarriageOriginal   = notify.FileKindMarriageOriginal
	FileKindMarriagePhoto      = notify.FileKindMarriagePhoto
	FileKindDivorceIndex       = notify.FileKindDivorceIndex
	FileKindDivorceDetail      = notify.FileKindDivorceDetail
	FileKindDivorceOriginal    = notify.FileKindDivorceOriginal
	FileKindDivorcePhoto       = notify.FileKindDivorcePhoto
	FileKindParsedArchive      = notify.FileKindParsedArchive
)

// FileClass is notify.FileClass; see there.
type FileClass = notify.FileClass

// ClassifyFile is notify.ClassifyFile; see there.
func ClassifyFile(name string) FileClass { return notify.ClassifyFile(name) }
