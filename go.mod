module github.com/mlx-go/mlx-go

go 1.26
