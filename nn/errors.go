package nn

import (
	"fmt"
	"sort"
	"strings"
)

// nameErrors reports every bad name at once, sorted, so a wrong checkpoint
// shows its whole mismatch in one message.
func nameErrors(op string, unexpected, missing, misshaped []string) error {
	var parts []string
	add := func(what string, names []string) {
		if len(names) == 0 {
			return
		}
		sort.Strings(names)
		const show = 8
		list := names
		more := ""
		if len(list) > show {
			list, more = list[:show], fmt.Sprintf(" and %d more", len(names)-show)
		}
		parts = append(parts, fmt.Sprintf("%s: %s%s", what, strings.Join(list, ", "), more))
	}
	add("unexpected parameters", unexpected)
	add("missing parameters", missing)
	add("wrong shapes", misshaped)
	if len(parts) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", op, strings.Join(parts, "; "))
}
