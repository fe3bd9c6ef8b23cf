package nn

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/mlx-go/mlx-go/tensor"
)

// Summary is a table of m's parameters (name, shape, dtype, trainable)
// and their totals, for looking at a model in the REPL.
func Summary(m any) string {
	mustModule("nn.Summary", m)
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tshape\tdtype\ttrainable")
	total, trainable, count := 0, 0, 0
	for _, p := range walkModule(m).params {
		a := p.field.Interface().(*tensor.Array)
		mark := "-"
		if p.trainable() {
			mark = "yes"
			trainable += a.Size()
		}
		total += a.Size()
		count++
		fmt.Fprintf(tw, "%s\t%v\t%v\t%s\n", p.name, a.Shape(), a.Dtype(), mark)
	}
	tw.Flush()
	fmt.Fprintf(&b, "%d parameters, %d values, %d trainable\n", count, total, trainable)
	return b.String()
}
