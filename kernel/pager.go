package kernel

import (
	"regexp"
	"strings"
)

// A cell that is only a name with a question mark ("fmt.Println?" or
// "?tensor.Zeros"), as in IPython, shows that name's documentation in the
// notebook's pager instead of running.
var pagerQuery = regexp.MustCompile(`^(?:\?\s*([\pL_][\pL\pN_.]*)|([\pL_][\pL\pN_.]*)\s*\?)$`)

func pagerTopic(code string) (string, bool) {
	m := pagerQuery.FindStringSubmatch(strings.TrimSpace(code))
	if m == nil {
		return "", false
	}
	return m[1] + m[2], true
}

// page answers a documentation query with a "page" payload.
func (k *Kernel) page(m *Message, topic string, store bool, code string) {
	sock := k.sockets.shell
	ev, err := k.evaluator()
	text, found := "", false
	if err == nil {
		text, found = ev.Inspect(topic, len(topic))
	}
	if store {
		k.history.add(k.count, code, nil)
	}
	if !found {
		content := errorContent("NameError", "no documentation found for "+topic, nil)
		k.publish("error", m.rawHeader(), content)
		k.reply(sock, m, "execute_reply", withCount(content, k.count))
		return
	}
	k.reply(sock, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": k.count, "user_expressions": map[string]any{},
		"payload": []any{map[string]any{"source": "page", "data": map[string]any{"text/plain": text}, "start": 0}},
	})
}
