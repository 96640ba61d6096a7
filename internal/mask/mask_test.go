package mask

import (
	"strings"
	"testing"
)

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

func TestText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 195)
	for _, c := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"ID card with X", "身份证号11010119900307447X不一致", 200, "身份证号110***********447X不一致"},
		{"ID card lower x", "id 11010119900307447x", 200, "id 110***********447x"},
		{"bank card", "卡号6222020200112233445无效", 200, "卡号622************3445无效"},
		{"phone", "手机13800138000已注册", 200, "手机138****8000已注册"},
		{"ten digits kept", "订单1234567890", 200, "订单1234567890"},
		{"two numbers", "13800138000,13900139000", 200, "138****8000,139****9000"},
		{"control characters", "a\nb\x00c\x7fd\xffe", 200, "a?b?c?d?e"},
		{"cut", "数据快递链", 3, "数据快…"},
		{"number across the cut masked whole", long + "110101199003074477", 200, long + "110**…"},
		{"max 0", "abc", 0, "…"},
		{"negative max", "abc", -1, "…"},
		{"empty", "", 200, ""},
		{"exactly max", "abc", 3, "abc"},
	} {
		if got := Text(c.in, c.max); got != c.want {
			t.Errorf("%s: Text(%q, %d) = %q; want %q", c.name, c.in, c.max, got, c.want)
		}
	}
}
