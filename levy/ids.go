package levy

import (
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// ID is notify.ID; see there.
type ID = notify.ID

// validateID reports an id that is not empty or a positive integer of at
// most 20 digits written without a leading zero (what ID encodes as a JSON
// number: "012" would be sent as 012, which is not JSON).
func validateID(c *validate.Collector, field string, id ID) {
	if id == "" {
		return
	}
	if _, err := id.MarshalJSON(); err != nil || strings.HasPrefix(string(id), "0") {
		c.Addf(field, "is not a positive integer of at most 20 digits without a leading zero")
	}
}
