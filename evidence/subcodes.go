package evidence

import "github.com/bizapi-cn/go-sdk/evidence/notify"

// SubStatus is notify.SubStatus; see there.
type SubStatus = notify.SubStatus

// LookupSubStatus is notify.LookupSubStatus; see there.
func LookupSubStatus(da DaStatus, code int) (SubStatus, bool) {
	return notify.LookupSubStatus(da, code)
}

// LookupSubStatusString is notify.LookupSubStatusString; see there.
func LookupSubStatusString(da DaStatus, code string) (SubStatus, bool) {
	return notify.LookupSubStatusString(da, code)
}

// SubStatuses is notify.SubStatuses; see there.
func SubStatuses() []SubStatus { return notify.SubStatuses() }

// SubStatus explains the failure of a session: the §9 row of its daStatus
// and daSubStatus.
func (s *GetStatusResponse) SubStatus() (SubStatus, bool) {
	return notify.LookupSubStatusString(s.DaStatus, string(s.Ext.DaSubStatus))
}
