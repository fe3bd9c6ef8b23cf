package golden

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/mlx-go/mlx-go/internal/testutil"
	"github.com/mlx-go/mlx-go/tensor"
)

// On a GPU, Load reads files its script writes afresh. They must hold the
// same arrays (names, dtypes, shapes) as the committed ones; on the CPU
// they must be the committed files exactly, which is what makes the
// rewrite a faithful stand-in.
func TestRegeneratedFilesMatchCommitted(t *testing.T) {
	for _, rel := range []string{"nn/testdata/losses.safetensors", "fast/testdata/fast.safetensors", "nn/testdata/optim.safetensors"} {
		committed, _, err := tensor.LoadSafetensors(filepath.Join(testutil.Root(), rel))
		if err != nil {
			t.Fatal(err)
		}
		fresh, _, err := tensor.LoadSafetensors(onThisDevice(t, filepath.Join(testutil.Root(), rel)))
		if err != nil {
			t.Fatal(err)
		}
		if len(fresh) != len(committed) {
			t.Fatalf("%s: %d arrays written now, %d committed", rel, len(fresh), len(committed))
		}
		for name, want := range committed {
			got, ok := fresh[name]
			if !ok {
				t.Fatalf("%s: %s not written now", rel, name)
			}
			if got.Dtype() != want.Dtype() || !slices.Equal(got.Shape(), want.Shape()) {
				t.Fatalf("%s %s: written now as %v%v, committed %v%v", rel, name, got.Dtype(), got.Shape(), want.Dtype(), want.Shape())
			}
			if tensor.DefaultDevice() == tensor.CPU {
				AssertSame(t, rel+" "+name, got, want)
			}
		}
	}
}
