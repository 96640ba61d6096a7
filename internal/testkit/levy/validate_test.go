package levy_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/levy"
)

func fields(err error) []string {
	var ve *levy.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	out := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		out[i] = f.Field
	}
	return out
}

func TestValidation(t *testing.T) {
	t.Parallel()
	big := levy.FileFromBytes("big.pdf", nil)
	big.Size = levy.MaxAgreementBytes + 1
	a, neg := levy.Yuan(1), levy.Amount(-1)
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"empty order", (&levy.CreateOrderRequest{}).Validate(), []string{"request_id", "id_card", "name", "cellphone", "tax_agent_parent_id", "credit_code|customer_id", "bankcard_no", "profit|pay_amount", "tax_mode"}},
		{"order both amounts", (&levy.CreateOrderRequest{RequestID: "r", IDCard: strings.Repeat("1", 18), Name: "n", Cellphone: "1", TaxAgentParentID: "1", CreditCode: "c", CustomerID: "d", BankcardNo: "b", Profit: &a, PayAmount: &neg, TaxMode: "X", Remark: strings.Repeat("字", 101)}).Validate(),
			[]string{"credit_code|customer_id", "profit|pay_amount", "pay_amount", "tax_mode", "remark"}},
		{"id card length", (&levy.SignUpRequest{IDCard: "123", Name: "一二三四五六七八九十一", Cellphone: "1", BankcardNo: "1", TaxAgentParentID: "5"}).Validate(), []string{"id_card", "name", "credit_code"}},
		{"batch too big", (&levy.QuerySignUpBatchRequest{BatchNo: "b", BatchDetails: make([]levy.SignUpQuery, 501)}).Validate(), append([]string{"batch_details"}, batchIDs(501)...)},
		{"agreement by type", (&levy.UploadTaxpayerAgreementRequest{RequestID: "r", IDCard: strings.Repeat("1", 18), Name: "n", Cellphone: "1", ContractID: "k", ContractType: levy.ContractTypeSubstitutes, File: big}).Validate(), []string{"tax_agent_location_id", "file_data"}},
		{"voucher name", (&levy.AddBankVoucherRequest{OrderID: "o", FileName: "v.doc"}).Validate(), []string{"file_name", "file"}},
		{"id images", (&levy.UploadIDCardImageRequest{RequestID: "r", IDCardNo: strings.Repeat("1", 18), RealName: "n"}).Validate(), []string{"frontImage", "backImage"}},
		{"face nothing", (&levy.UploadFaceIDVideoFrameRequest{RequestID: "r", IDCardNo: strings.Repeat("1", 18)}).Validate(), []string{"videoBase64|frameBase64"}},
		{"confirm", (&levy.ConfirmOrderRequest{OrderID: "o", NextStep: "MAYBE"}).Validate(), []string{"arising_time", "next_step"}},
	}
	for _, c := range cases {
		got := fields(c.err)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: fields = %v; want %v (%v)", c.name, got, c.want, c.err)
		}
	}
	err := (&levy.CreateOrderRequest{IDCard: "110101199003074477"}).Validate()
	if strings.Contains(err.Error(), "110101199003074477") || !strings.HasPrefix(err.Error(), "levy: invalid CREATE_ORDER_V2 request: ") {
		t.Errorf("validation error text: %q", err)
	}
}

func batchIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "batch_details[" + strconv.Itoa(i) + "].id_card"
	}
	return out
}
