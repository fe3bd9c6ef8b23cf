package nn

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// LoadWeights reads a safetensors file into m by parameter name. strict
// requires the file and the module to have exactly the same names and
// shapes; otherwise names absent from the file keep their values (names
// unknown to the module and wrong shapes are errors either way).
func LoadWeights(m any, path string, strict bool) error {
	if _, err := moduleValue("nn.LoadWeights", m); err != nil {
		return err
	}
	arrays, _, err := tensor.LoadSafetensors(path)
	if err != nil {
		return fmt.Errorf("nn.LoadWeights: %w", err)
	}
	if err := update("nn.LoadWeights "+path, m, arrays, strict); err != nil {
		return err
	}
	return nil
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
