package nn

import (
	"fmt"
	"math"

	"github.com/mlx-go/mlx-go/tensor"
)

// Embedder is what a token-embedding field should be declared as, so that
// Quantize can swap an Embedding for a QuantizedEmbedding; AsLinear serves
// models whose output head is tied to the embedding.
type Embedder interface {
	Forward(ids *tensor.Array) *tensor.Array
	AsLinear(x *tensor.Array) *tensor.Array
}

// Embedding maps integer ids to rows of Weight [numEmbeddings, dims].
type Embedding struct {
	Base
	Weight *tensor.Array
	wT     transposed // for AsLinear
}

// NewEmbedding makes an Embedding initialised like MLX: normal with
// standard deviation 1/√dims.
func NewEmbedding(numEmbeddings, dims int) *Embedding {
	checkDims("nn.NewEmbedding", "numEmbeddings", numEmbeddings)
	checkDims("nn.NewEmbedding", "dims", dims)
	return &Embedding{Weight: tensor.RandomNormal([]int{numEmbeddings, dims}, tensor.Scale(math.Sqrt(1/float64(dims))))}
}

// Forward gathers the rows of ids (any integer shape; output adds a last
// axis of dims).
func (e *Embedding) Forward(ids *tensor.Array) *tensor.Array {
	checkIDs("nn.Embedding", ids)
	return tensor.Take(e.Weight, ids, tensor.Axis(0))
}

// AsLinear is x·Wᵀ: the embedding used as an output projection.
func (e *Embedding) AsLinear(x *tensor.Array) *tensor.Array {
	return tensor.Matmul(x, e.wT.of(e.Weight))
}

// ToQuantized is the QuantizedEmbedding of this layer (see Quantize).
func (e *Embedding) ToQuantized(groupSize, bits int, mode string) (any, error) {
	return QuantizedEmbeddingFrom(e, groupSize, bits, mode)
}

func checkIDs(op string, ids *tensor.Array) {
	if !ids.Dtype().IsInteger() {
		panic(&tensor.Error{Op: op, Msg: fmt.Sprintf("ids must be integers, got %v", ids.Dtype())})
	}
}
