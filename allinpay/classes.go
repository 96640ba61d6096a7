package allinpay

import (
	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// The data-element classes of §1.5.1.2, as the SDK checks them
// (fieldset.Class; the reasons are in the package doc, "Field classes and
// lengths").
type class = fieldset.Class

const (
	classAN  = fieldset.AN
	classAS  = fieldset.AS
	classANS = fieldset.ANS
)

func inClass(s string, k class) bool { return k.Holds(s) }

// field checks one optional field's class and length (bytes, a Chinese
// character as 2).
func field(c *validate.Collector, name, v string, k class, max int) {
	if v == "" {
		return
	}
	if !inClass(v, k) {
		c.Addf(name, "must be %s", k)
		return
	}
	c.MaxBytes(name, v, max)
}

// requiredField is field for a field the table marks M.
func requiredField(c *validate.Collector, name, v string, k class, max int) {
	if c.Required(name, v) {
		field(c, name, v, k, max)
	}
}
