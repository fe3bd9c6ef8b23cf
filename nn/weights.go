package nn

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// LoadWeights reads a safetensors file into m by parameter name. strict
// requires the file and the module to have exactly the same names and
// shapes, and reports every difference. Otherwise (Python's strict=False)
// only the names both have are loaded; a wrong shape is still an error.
func LoadWeights(m any, path string, strict bool) error {
	if _, err := moduleValue("nn.LoadWeights", m); err != nil {
		return err
	}
	arrays, _, err := tensor.LoadSafetensors(path)
	if err != nil {
		return fmt.Errorf("nn.LoadWeights: %w", err)
	}
	mode := allowMissingAndUnknown
	if strict {
		mode = checkAll
	}
	return update("nn.LoadWeights "+path, m, arrays, mode)
}

// SaveWeights writes m's parameters to a safetensors file (the names are
// the dotted parameter names, as mlx's save_weights writes them).
func SaveWeights(m any, path string) error {
	if _, err := moduleValue("nn.SaveWeights", m); err != nil {
		return err
	}
	if err := tensor.SaveSafetensors(path, Parameters(m), map[string]string{"format": "mlx"}); err != nil {
		return fmt.Errorf("nn.SaveWeights: %w", err)
	}
	return nil
}
