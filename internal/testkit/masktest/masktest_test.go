package masktest

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

type leaky struct {
	IDCard string
	Note   string
}

type inner struct{ Phone string }

type masked struct {
	IDCard string
	Key    []byte
	Note   string
	In     inner
}

func (m masked) String() string {
	return fmt.Sprintf("{IDCard:%s Key:%s Note:%s In:{Phone:%s}}", mask.IDCard(m.IDCard), mask.Secret(string(m.Key)), m.Note, mask.Phone(m.In.Phone))
}
func (m masked) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(m.String())) }
func (m masked) LogValue() slog.Value       { return slog.StringValue(m.String()) }

// recorder is a testing.T stand-in that keeps the failures.
func run(f func(t *testing.T)) (failed bool, out string) {
	var tt testing.T
	done := make(chan struct{})
	go func() { defer close(done); f(&tt) }()
	<-done
	return tt.Failed(), ""
}

func TestCheckFindsLeaks(t *testing.T) {
	if failed, _ := run(func(t *testing.T) { Check(t, nil, leaky{}) }); !failed {
		t.Error("Check passed a type that prints its ID card in full")
	}
	if failed, _ := run(func(t *testing.T) { Check(t, nil, masked{}, &masked{}) }); failed {
		t.Error("Check failed a type that masks every sensitive field")
	}
	if !strings.Contains(marker(7), middle(7)) {
		t.Fatal("marker does not carry its middle")
	}
}
