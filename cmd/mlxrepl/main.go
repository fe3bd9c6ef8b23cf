// Command mlxrepl is the interactive Go session for MLX. (Placeholder demo
// until the REPL lands: prints one MLX computation.)
package main

import (
	"fmt"

	"github.com/mlx-go/mlx-go/tensor"
)

func main() {
	a := tensor.New([][]float32{{1, 2}, {3, 4}})
	fmt.Printf("MLX %s on %s\n", tensor.Version(), tensor.DefaultDevice())
	fmt.Println(tensor.Matmul(a, a.Transpose()))
}
