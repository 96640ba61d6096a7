package notify

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Notification is one asynchronous notification: the verified req
// envelope and its data decoded by name.
type Notification struct {
	Operation Operation // the envelope's name
	Code      Code      // "0": success; another code reports a failure
	Message   string
	// Data is the typed payload: *SignNotification (SYNC_SIGN),
	// *SignUpNotification, *OrderNotification (CREATE_ORDER_V2),
	// *AgreementNotification, *IDCardImageNotification or
	// *CloseOrderNotification; nil for an unknown name, whose data is in
	// Raw.
	Data any
	// Raw is the data object as received (it may hold personal data: it
	// is never printed by String or LogValue).
	Raw json.RawMessage

	dedupKey string
}

// Failed reports whether the notification reports a failure: a code
// other than "0" (§1.1.3: "0 表示成功，其他表示失败"), whatever its data
// says, or data whose result failed (SignNotification.Failed,
// SignUpNotification.Failed, OrderNotification.Failed,
// AgreementNotification.Failed, IDCardImageNotification.Failed). A
// notification with a code other than "0" may carry no data (Data nil).
func (n *Notification) Failed() bool {
	if n.Code != CodeOK {
		return true
	}
	f, ok := n.Data.(interface{ Failed() bool })
	return ok && f.Failed()
}

// Succeeded is !Failed: the code is "0" and the data, if it has a
// result, did not fail. It is not "signed" or "created": a result may
// still be pending (ACCEPT); ask the data (Signed, Created, Uploaded,
// Identified) for that.
func (n *Notification) Succeeded() bool { return !n.Failed() }

// IdempotencyKey identifies the notification across redeliveries: its
// name and the SHA-256 of the verified req, byte for byte as signed. Two
// notifications that differ in any signed byte (the two
// CLOSE_ORDER_NOTICEs of an order split across locations, the SIGN_UP
// notifications of two people) have different keys; so do two deliveries
// of one notification that the provider serialised differently. A host
// that must apply an effect exactly once keys it on the data's business
// ids (request_id, id_card, tax_agent_location_id, status), not on this.
func (n *Notification) IdempotencyKey() string { return n.dedupKey }

// String prints the notification without its data, and its message as
// the error strings print the provider's text: runs of 11 or more digits
// masked (an ID card, bank card or phone number echoed), at most 200 runes.
func (n Notification) String() string {
	return fmt.Sprintf("{Operation:%s Code:%s Message:%s Data:%v}", n.Operation, n.Code, mask.Text(n.Message, 200), n.Data)
}

// LogValue prints the notification without its data.
func (n Notification) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", string(n.Operation)), slog.String("code", string(n.Code)), slog.String("key", n.dedupKey))
}

// SignNotification is SYNC_SIGN's asynchronous result.
type SignNotification struct {
	RequestID string     `json:"request_id"`
	Status    SignStatus `json:"status"`
}

// Signed reports SIGN (已签约).
func (n *SignNotification) Signed() bool { return n.Status == SignStatusSign }

// Failed reports a result that is neither SIGN nor ACCEPT: UN_SIGN (未签约),
// or a status §3.5 does not list, which is never taken for success.
func (n *SignNotification) Failed() bool { return signFailed(n.Status) }

func signFailed(st SignStatus) bool { return st != SignStatusSign && st != SignStatusAccept }

// SignUpNotification is SIGN_UP's asynchronous result (none is sent for
// a taxpayer already signed, rule 2). The spec gives no table for it; it
// is decoded as SIGN_UP's answer.
type SignUpNotification struct {
	IDCard string     `json:"id_card"`
	Status SignStatus `json:"status"`
}

// Signed reports SIGN (已签约).
func (n *SignUpNotification) Signed() bool { return n.Status == SignStatusSign }

// Failed reports UN_SIGN, or a status §3.5 does not list.
func (n *SignUpNotification) Failed() bool { return signFailed(n.Status) }

// String prints the notification with the ID card masked.
func (n SignUpNotification) String() string {
	return fmt.Sprintf("{IDCard:%s Status:%s}", mask.IDCard(n.IDCard), n.Status)
}

// LogValue masks the ID card.
func (n SignUpNotification) LogValue() slog.Value { return slog.StringValue(n.String()) }

// OrderNotification is CREATE_ORDER_V2's asynchronous result.
type OrderNotification struct {
	RequestID      string       `json:"request_id"`
	RemitOrderList []RemitOrder `json:"remit_order_list"`
	Status         OrderStatus  `json:"status"`
	FailReason     string       `json:"fail_reason"`
}

// Created reports the §3.2 CLOSE case "阿拉丁内部系统订单已创建完成商户可根据订单进行打款":
// the order is closed with its remit orders created (confirm each with
// levy.Client.ConfirmOrder within 72 hours).
func (n *OrderNotification) Created() bool {
	return orderCreated(n.Status, n.RemitOrderList, n.FailReason)
}

// Failed reports the other three §3.2 CLOSE cases (validation failed, task
// ID invalid, customer lookup failed): closed without remit orders, the
// reason in FailReason.
func (n *OrderNotification) Failed() bool {
	return n.Status == OrderStatusClose && !orderCreated(n.Status, n.RemitOrderList, n.FailReason)
}

func orderCreated(st OrderStatus, list []RemitOrder, failReason string) bool {
	return st == OrderStatusClose && len(list) > 0 && failReason == ""
}

// Cancelled reports a closed remit order: a CLOSE_ORDER_NOTICE is always
// §3.3's "已关闭，客户已取消" (72 hours without confirmation), never §2.5's
// CLOSE after tax was paid.
func (n *CloseOrderNotification) Cancelled() bool { return n.RemitStatus == RemitStatusClose }

// RemitOrderSet is a levy order's remit orders under its request_id, as
// QUERY_ORDER_V2 answers them: *levy.QueryOrderResponse is one, and a host
// that keeps its orders may write its own.
type RemitOrderSet interface {
	RemitOrders() (requestID string, list []RemitOrder)
}

// RemitOrder returns the remit order of q (the levy order of the same
// request_id) that the notification closed, told apart by its
// tax_agent_location_id (an order split across locations has one remit
// order per location).
func (n *CloseOrderNotification) RemitOrder(q RemitOrderSet) (RemitOrder, bool) {
	if q == nil {
		return RemitOrder{}, false
	}
	id, list := q.RemitOrders()
	if id != n.RequestID {
		return RemitOrder{}, false
	}
	for _, r := range list {
		if r.TaxAgentLocationID == n.TaxAgentLocationID {
			return r, true
		}
	}
	return RemitOrder{}, false
}

// AgreementNotification is UPLOAD_TAXPAYER_AGREEMENT's asynchronous
// result.
type AgreementNotification struct {
	RequestID  string          `json:"request_id"`
	Status     AgreementStatus `json:"status"`
	ContractID string          `json:"contract_id"`
	FileID     string          `json:"file_id"`
}

// Uploaded reports SUCCESS (上传成功).
func (n *AgreementNotification) Uploaded() bool { return n.Status == AgreementStatusSuccess }

// Failed reports FAIL (上传失败), or a status §3.6 does not list.
func (n *AgreementNotification) Failed() bool {
	return n.Status != AgreementStatusSuccess && n.Status != AgreementStatusAccept
}

// IDCardImageNotification is UPLOAD_ID_CARD_IMAGE's asynchronous result.
type IDCardImageNotification struct {
	RequestID  string        `json:"requestId"`
	Status     IDImageStatus `json:"status"`
	FailReason string        `json:"failReason"`
}

// Identified reports IDENTIFY_SUCCESS (认证通过).
func (n *IDCardImageNotification) Identified() bool {
	return n.Status == IDImageStatusIdentifySuccess
}

// Failed reports IDENTIFY_FAIL (认证失败, the reason in FailReason), NULL
// (纳税人信息不存在), UN_IDENTIFY (证照未上传), or a status §3.8 does not
// list.
func (n *IDCardImageNotification) Failed() bool {
	return n.Status != IDImageStatusIdentifySuccess && n.Status != IDImageStatusAccept
}

// CloseOrderNotification is CLOSE_ORDER_NOTICE: a remit order closed after
// 72 hours without confirmation; an order split across locations gets one
// per remit order (tax_agent_location_id tells them apart). The seed
// writes Close_reason in its table and close_reason in its sample; both
// are read.
type CloseOrderNotification struct {
	RequestID          string      `json:"request_id"`
	RemitStatus        RemitStatus `json:"remit_status"`
	TaxAgentLocationID ID          `json:"tax_agent_location_id"`
	CloseTime          Time        `json:"close_time"`
	CloseReason        string      `json:"close_reason"`
}

// UnmarshalJSON reads close_reason or Close_reason.
func (n *CloseOrderNotification) UnmarshalJSON(b []byte) error {
	type plain CloseOrderNotification
	var w struct {
		plain
		CloseReason2 *string `json:"Close_reason"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*n = CloseOrderNotification(w.plain)
	if n.CloseReason == "" && w.CloseReason2 != nil {
		n.CloseReason = *w.CloseReason2
	}
	return nil
}
