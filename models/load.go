package models

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

// Checkpoint is a model's configuration and weights, checked against its
// architecture. Weight names are as in the files (a Gemma 3 text model
// under "language_model."), minus the ones the loader drops.
type Checkpoint struct {
	Info    *ModelInfo
	Config  *Config
	Weights map[string]*tensor.Array
}

// Load checks the model in dir (see Info) and reads its weights.
func Load(dir string) (*Checkpoint, error) {
	info, err := Info(dir)
	if err != nil {
		return nil, err
	}
	weights := map[string]*tensor.Array{}
	for _, f := range info.WeightFiles {
		arrays, _, err := tensor.LoadSafetensors(f)
		if err != nil {
			freeAll(weights)
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		for name, a := range arrays {
			if ignoredTensor(info.Config, name) {
				a.Free()
				continue
			}
			weights[name] = a
		}
	}
	return &Checkpoint{Info: info, Config: info.Config, Weights: weights}, nil
}

// Free releases every weight.
func (c *Checkpoint) Free() { freeAll(c.Weights) }

func freeAll(m map[string]*tensor.Array) {
	for _, a := range m {
		a.Free()
	}
}
