package levy

import "testing"

// TestPackageBuilds keeps the module in every test run until its API lands.
func TestPackageBuilds(t *testing.T) {
	t.Parallel()
}
