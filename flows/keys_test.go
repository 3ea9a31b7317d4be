package flows_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
)

// TestReadyKeyWarnsLooseFolder: a key in a folder others can write to is
// used, with a warning that says how to tighten the folder.
func TestReadyKeyWarnsLooseFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
	intEnv, _ := flows.LookupEnv("int")
	for _, loose := range []bool{true, false} {
		dir := t.TempDir()
		if _, err := keystore.Write(dir, "int-1", arSharedKey(t), false); err != nil {
			t.Fatal(err)
		}
		if loose {
			os.Chmod(dir, 0o777)
		}
		j := flows.NewJourney(intEnv, nil)
		j.KeyPath = filepath.Join(dir, "int-1.pem")
		o := flows.ReadyKey(j)
		if o.Failed() {
			t.Fatalf("loose=%v: %v", loose, o.Err)
		}
		warned := strings.Contains(strings.Join(o.Details, "\n"), "writable by others (mode 0777)")
		if warned != loose {
			t.Errorf("loose=%v: warned %v; details:\n%s", loose, warned, strings.Join(o.Details, "\n"))
		}
	}
}
