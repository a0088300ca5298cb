package cliout

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"unicode"

	"github.com/p2c/p2c/internal/awsmodel"
)

// Services as the botocore models name them.
const (
	svcPinpoint = "pinpoint"
	svcSMSVoice = "pinpoint-sms-voice-v2"
)

// tables is what the loader derives from the botocore models once: which
// wrapper member names the CLI prints around Pinpoint bodies, which
// operations produce which shapes, and the EUM output shapes.
type tables struct {
	pp, sv *awsmodel.Model
	// wrappers maps a REST output payload member name (the CLI's wrapper
	// object, e.g. "SegmentsResponse") to the operations that return it.
	wrappers map[string][]string
	// payload maps the wrapper name to the payload shape name (they are
	// equal in today's model; the map keeps the loader honest if not).
	payload map[string]string
	// listItem maps a list shape ("SegmentsResponse") to its Item shape
	// ("SegmentResponse"); itemList is the reverse.
	listItem map[string]string
	itemList map[string]string
	// templateType maps a typed template shape to its TemplateType;
	// templateShape is the reverse.
	templateType  map[string]string
	templateShape map[string]string
	// channelType maps a typed channel shape to its channel type (APNS_VOIP);
	// channelShape is the reverse.
	channelType  map[string]string
	channelShape map[string]string
	// eumOps lists the EUM read operations with a list member, with that
	// member's name and the output's members.
	eumOps []eumOp
}

type eumOp struct {
	op       string
	list     string
	members  map[string]bool
	itemType string
}

var (
	tabOnce sync.Once
	tab     *tables
)

func model() *tables {
	tabOnce.Do(func() { tab = buildTables() })
	return tab
}

// upperSnake turns an operation's CamelCase noun into the API's type name:
// ApnsVoipSandbox → APNS_VOIP_SANDBOX, InApp → INAPP is special-cased by
// the caller.
func upperSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func buildTables() *tables {
	t := &tables{
		pp: awsmodel.MustLoad(svcPinpoint), sv: awsmodel.MustLoad(svcSMSVoice),
		wrappers: map[string][]string{}, payload: map[string]string{},
		listItem: map[string]string{}, itemList: map[string]string{},
		templateType: map[string]string{}, templateShape: map[string]string{},
		channelType: map[string]string{}, channelShape: map[string]string{},
	}
	for _, op := range t.pp.OperationNames() {
		name, shape := t.pp.PayloadShape(t.pp.OutputShape(op))
		if shape == nil {
			continue
		}
		shapeName := t.pp.Operations[op].Output.Shape
		shapeName = t.pp.Shapes[shapeName].Members[name].Shape
		t.wrappers[name] = append(t.wrappers[name], op)
		t.payload[name] = shapeName
		if ref := shape.Members["Item"]; ref != nil {
			if ls := t.pp.Shapes[ref.Shape]; ls != nil && ls.Type == "list" && ls.Member != nil {
				t.listItem[shapeName] = ls.Member.Shape
				t.itemList[ls.Member.Shape] = shapeName
			}
		}
		// Typed GETs name the template or channel type: GetEmailTemplate,
		// GetApnsVoipSandboxChannel.
		if noun, ok := strings.CutPrefix(op, "Get"); ok {
			if n, ok := strings.CutSuffix(noun, "Template"); ok && n != "" {
				typ := strings.ToUpper(n) // InApp → INAPP, Sms → SMS
				t.templateType[shapeName] = typ
				t.templateShape[typ] = shapeName
			}
			if n, ok := strings.CutSuffix(noun, "Channel"); ok && n != "" {
				typ := upperSnake(n)
				t.channelType[shapeName] = typ
				t.channelShape[typ] = shapeName
			}
		}
	}
	for _, op := range t.sv.OperationNames() {
		if !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "List") && !strings.HasPrefix(op, "Get") {
			continue
		}
		out := t.sv.OutputShape(op)
		if out == nil {
			continue
		}
		e := eumOp{op: op, members: map[string]bool{}}
		for name, ref := range out.Members {
			e.members[name] = true
			if s := t.sv.Shapes[ref.Shape]; s != nil && s.Type == "list" {
				e.list = name
				if s.Member != nil {
					e.itemType = s.Member.Shape
				}
			}
		}
		if e.list != "" {
			t.eumOps = append(t.eumOps, e)
		}
	}
	return t
}

// pinpointOp picks the operation a Pinpoint body most likely came from:
// a read (Get*, List*) before anything else; the caller narrows further.
func (t *tables) pinpointOp(wrapper string) string {
	ops := t.wrappers[wrapper]
	for _, prefix := range []string{"Get", "List"} {
		for _, op := range ops {
			if strings.HasPrefix(op, prefix) {
				return op
			}
		}
	}
	if len(ops) > 0 {
		return ops[0]
	}
	return ""
}

// eumOutput finds the EUM read operation whose output has exactly these
// top-level members: its list member must be there, and nothing the
// output does not define.
func (t *tables) eumOutput(keys []string) *eumOp {
	var best *eumOp
	for i := range t.eumOps {
		e := &t.eumOps[i]
		ok := false
		for _, k := range keys {
			if !e.members[k] {
				ok = false
				break
			}
			if k == e.list {
				ok = true
			}
		}
		if ok && (best == nil || len(e.members) < len(best.members)) {
			best = e
		}
	}
	return best
}

// normalize decodes a raw CLI value, rewrites it to wire form by shape and
// re-encodes it compactly (numbers kept as written, no HTML escaping).
func normalize(m *awsmodel.Model, shape string, raw []byte) (json.RawMessage, any, error) {
	v, err := decode(raw)
	if err != nil {
		return nil, nil, err
	}
	v = m.ToWire(shape, v)
	b, err := encode(v)
	return b, v, err
}

func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func encode(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
