package levy

import "github.com/bizapi-cn/go-sdk/levy/notify"

// Amount is notify.Amount; see there.
type Amount = notify.Amount

// Yuan is notify.Yuan; see there.
func Yuan(y int64) Amount { return notify.Yuan(y) }

// Fen is notify.Fen; see there.
func Fen(n int64) Amount { return notify.Fen(n) }

// ParseAmount is notify.ParseAmount; see there.
func ParseAmount(s string) (Amount, error) { return notify.ParseAmount(s) }
