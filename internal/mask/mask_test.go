package mask

import "testing"

func TestMask(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, got, want string
	}{
		{"IDCard", IDCard("110101199003074477"), "110***********4477"},
		{"IDCard short", IDCard("1234567"), "*******"},
		{"BankCard", BankCard("6222020200112233445"), "6222***********3445"},
		{"Phone", Phone("13800138000"), "138****8000"},
		{"Phone short", Phone("8008"), "****"},
		{"Phone landline", Phone("02088886666"), "020****6666"},
		{"Name", Name("张三丰"), "张**"},
		{"Name one rune", Name("张"), "*"},
		{"Secret", Secret("levy-test-secret"), "[redacted]"},
		{"Secret empty", Secret(""), ""},
		{"Middle unicode", Middle("数据快递链系统", 1, 1), "数*****统"},
		{"Middle empty", Middle("", 1, 1), ""},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q; want %q", c.name, c.got, c.want)
		}
	}
}
