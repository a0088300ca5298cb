// Package awsmodel reads the botocore service models that p2c embeds and
// answers the questions both sides of the wire ask of them: which operation a
// REST request calls, which members are required, what a response may carry.
//
// The models are AWS's own (Apache-2.0, see models/NOTICE); using them keeps
// the emulator's routes, status codes and field names exactly those of the
// real services instead of a hand-written approximation.
package awsmodel

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

//go:embed models/*.json.gz
var modelFS embed.FS

// Model is one service's botocore model.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`

	routes []*route
}

// Metadata is the service-level part of a model.
type Metadata struct {
	APIVersion   string `json:"apiVersion"`
	Protocol     string `json:"protocol"`
	JSONVersion  string `json:"jsonVersion"`
	SigningName  string `json:"signingName"`
	ServiceID    string `json:"serviceId"`
	TargetPrefix string `json:"targetPrefix"`
	EndpointPfx  string `json:"endpointPrefix"`
}

// Operation is one API operation.
type Operation struct {
	Name string `json:"name"`
	HTTP struct {
		Method       string `json:"method"`
		RequestURI   string `json:"requestUri"`
		ResponseCode int    `json:"responseCode"`
	} `json:"http"`
	Input  *Ref   `json:"input"`
	Output *Ref   `json:"output"`
	Errors []*Ref `json:"errors"`
}

// Ref points at a shape, optionally with a wire location.
type Ref struct {
	Shape           string `json:"shape"`
	Location        string `json:"location"`
	LocationName    string `json:"locationName"`
	TimestampFormat string `json:"timestampFormat"`
}

// Shape is a botocore shape.
type Shape struct {
	Type            string          `json:"type"`
	Members         map[string]*Ref `json:"members"`
	Required        []string        `json:"required"`
	Payload         string          `json:"payload"`
	Member          *Ref            `json:"member"`
	Key             *Ref            `json:"key"`
	Value           *Ref            `json:"value"`
	Enum            []string        `json:"enum"`
	Min             *float64        `json:"min"`
	Max             *float64        `json:"max"`
	Pattern         string          `json:"pattern"`
	TimestampFormat string          `json:"timestampFormat"`
	Exception       bool            `json:"exception"`
	Sensitive       bool            `json:"sensitive"`
	// Union marks a structure of which exactly one member may be set.
	Union bool `json:"union"`
	Error struct {
		Code           string `json:"code"`
		HTTPStatusCode int    `json:"httpStatusCode"`
		SenderFault    bool   `json:"senderFault"`
	} `json:"error"`
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*Model{}
)

// Names lists the embedded models.
func Names() []string {
	entries, _ := modelFS.ReadDir("models")
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".json.gz"); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Load returns the embedded model with the given botocore service name
// (for example "pinpoint" or "pinpoint-sms-voice-v2"). Models are parsed once.
func Load(name string) (*Model, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if m, ok := cache[name]; ok {
		return m, nil
	}
	raw, err := modelFS.ReadFile("models/" + name + ".json.gz")
	if err != nil {
		return nil, fmt.Errorf("service model %q is not embedded: %w", name, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("service model %q: %w", name, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("service model %q: %w", name, err)
	}
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("service model %q: %w", name, err)
	}
	for n, op := range m.Operations {
		if op.Name == "" {
			op.Name = n
		}
	}
	m.buildRoutes()
	cache[name] = &m
	return &m, nil
}

// MustLoad is Load for models that are known to be embedded.
func MustLoad(name string) *Model {
	m, err := Load(name)
	if err != nil {
		panic(err)
	}
	return m
}

// Shape returns the named shape or nil.
func (m *Model) Shape(name string) *Shape { return m.Shapes[name] }

// InputShape returns the input shape of an operation (nil when it has none).
func (m *Model) InputShape(op string) *Shape {
	o := m.Operations[op]
	if o == nil || o.Input == nil {
		return nil
	}
	return m.Shapes[o.Input.Shape]
}

// OutputShape returns the output shape of an operation (nil when it has none).
func (m *Model) OutputShape(op string) *Shape {
	o := m.Operations[op]
	if o == nil || o.Output == nil {
		return nil
	}
	return m.Shapes[o.Output.Shape]
}

// PayloadShape returns, for a REST operation whose input or output has a
// payload member, the name of that member and its shape.
func (m *Model) PayloadShape(s *Shape) (string, *Shape) {
	if s == nil || s.Payload == "" {
		return "", nil
	}
	ref := s.Members[s.Payload]
	if ref == nil {
		return "", nil
	}
	return s.Payload, m.Shapes[ref.Shape]
}

// OperationNames lists every operation, sorted.
func (m *Model) OperationNames() []string {
	out := make([]string, 0, len(m.Operations))
	for n := range m.Operations {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
