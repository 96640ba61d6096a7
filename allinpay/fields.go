package allinpay

import (
	"context"
	"fmt"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/allinpay/notify"
	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// Fields is notify.Fields; see there.
type Fields = notify.Fields

// receivedFields reads a JSON answer's top level into a field set,
// refusing members whose names differ only in case: the typed view reads
// exact names, and such a member would stand outside it.
//
// The members are counted first (maxAnswerMembers): the answer is not yet
// verified, and 6,700 tiny members in 64 KiB cost 1.25 MiB of maps before
// the signature failed (BenchmarkHostileAllinpay).
func receivedFields(raw []byte) (Fields, error) {
	if bodylimit.ManyMembers(raw, maxAnswerMembers) {
		return nil, fmt.Errorf("more than %d members", maxAnswerMembers)
	}
	m, err := kv.FieldsFromJSON(raw)
	if err != nil {
		return nil, err
	}
	return Fields(m), fieldset.CaseUnique(m)
}

// maxAnswerMembers is far above the spec's fields (about 45, a nested
// payInfo's few included).
const maxAnswerMembers = 512

// answerURLs are the answer fields that may carry a query string.
var answerURLs = map[string]bool{"codeUrl": true, "payInfo": true}

// verifyFields checks "signature" over every other non-empty field of
// the answer of op.
func (cfg *config) verifyFields(ctx context.Context, op TransType, f Fields) error {
	return cfg.trust.Check(ctx, f, cfg.diagnoser(), string(op), nil)
}

// decoder reads typed values from a verified answer by exact name; the
// first bad field is kept.
type decoder struct{ fieldset.Decoder }

func newDecoder(f Fields) *decoder { return &decoder{fieldset.Decoder{F: f}} }

func (d *decoder) amount(k string) Amount { return Amount(d.Amount(k)) }

// time reads yyyyMMddHHmmss (UTC+8); another shape keeps only the raw text.
func (d *decoder) time(k string) Time { return Time{Time: fieldset.ParseTime(d.F[k]), Raw: d.F[k]} }

// Amount is notify.Amount; see there.
type Amount = notify.Amount

// ParseAmount is notify.ParseAmount; see there.
func ParseAmount(s string) (Amount, error) { return notify.ParseAmount(s) }

// Time is notify.Time; see there.
type Time = notify.Time

var cst = fieldset.CST
