package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ProtocolVersion is the Jupyter messaging protocol version we speak.
const ProtocolVersion = "5.3"

// delimiter separates the routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// Header is a message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message. Incoming content stays raw JSON until the
// handler for its type decodes it; outgoing content is any JSON value.
type Message struct {
	Identities [][]byte        // ZeroMQ routing prefix (ROUTER sockets)
	Header     Header          //
	Parent     json.RawMessage // the request's header, echoed verbatim
	Metadata   map[string]any  //
	Content    json.RawMessage // incoming content
	Buffers    [][]byte        //
	rawHdr     json.RawMessage // the header as received, for replies' parent_header
}

func (m *Message) rawHeader() json.RawMessage { return m.rawHdr }

// ErrBadSignature and ErrMalformed are why a received message is dropped.
var (
	ErrBadSignature = errors.New("bad or missing message signature")
	ErrMalformed    = errors.New("malformed message")
)

// Decode parses the frames of a received message and checks its signature.
func Decode(frames [][]byte, s Signer) (*Message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, fmt.Errorf("%w: no %s delimiter in %d frames", ErrMalformed, delimiter, len(frames))
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d frames after the delimiter, want at least 5", ErrMalformed, len(rest))
	}
	parts := [4][]byte{rest[1], rest[2], rest[3], rest[4]}
	if !s.valid(rest[0], parts) {
		return nil, ErrBadSignature
	}
	m := &Message{Identities: frames[:i], Buffers: rest[5:]}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: header has no msg_type", ErrMalformed)
	}
	if !json.Valid(rest[2]) || !json.Valid(rest[3]) || !json.Valid(rest[4]) {
		return nil, fmt.Errorf("%w: parent header, metadata or content is not JSON", ErrMalformed)
	}
	m.rawHdr = rest[1]
	m.Parent = rest[2]
	if err := json.Unmarshal(rest[3], &m.Metadata); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrMalformed, err)
	}
	m.Content = rest[4]
	return m, nil
}

// NewHeader is the header of a new message.
func NewHeader(msgType, session string) Header {
	return Header{
		MsgID:    uuid.NewString(),
		Session:  session,
		Username: "mlxkernel",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// Encode builds the signed frames of an outgoing message. parent is the raw
// header of the request being answered (or "{}").
func Encode(ids [][]byte, h Header, parent json.RawMessage, content any, s Signer) ([][]byte, error) {
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if len(parent) == 0 {
		parent = json.RawMessage("{}")
	}
	body, err := marshal(content)
	if err != nil {
		return nil, fmt.Errorf("%s content: %w", h.MsgType, err)
	}
	meta := []byte("{}")
	parts := [4][]byte{hdr, parent, meta, body}
	frames := make([][]byte, 0, len(ids)+6)
	frames = append(frames, ids...)
	frames = append(frames, delimiter, []byte(s.sign(parts)))
	return append(frames, parts[:]...), nil
}

// marshal is json.Marshal without HTML escaping: rich outputs are full of
// '<' and '&', and escaping them only makes messages bigger.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
