// Package emulator is p2c's local AWS: one HTTP listener speaking the real
// wire protocols of the source side (Pinpoint, End User Messaging SMS and
// voice v2, S3) and the target side (Customer Profiles, outbound campaigns
// v2, Q in Connect message templates, Connect, SES v2), routed by the SigV4
// signing name of each request. Teams rehearse a migration against it;
// p2c's tests run against it through real clients.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/p2c/p2c/internal/emulator/campaigns"
	"github.com/p2c/p2c/internal/emulator/connect"
	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/pinpoint"
	"github.com/p2c/p2c/internal/emulator/profiles"
	"github.com/p2c/p2c/internal/emulator/qconnect"
	"github.com/p2c/p2c/internal/emulator/s3"
	"github.com/p2c/p2c/internal/emulator/sesv2"
	"github.com/p2c/p2c/internal/emulator/smsvoice"
)

// Options configure an emulator; see core.Options for each field.
type Options = core.Options

// Emulator holds the services behind one handler.
type Emulator struct {
	*core.Server
	Pinpoint *pinpoint.Service
	SMSVoice *smsvoice.Service
	S3       *s3.Service
	// Target side.
	Profiles  *profiles.Service
	Campaigns *campaigns.Service
	QConnect  *qconnect.Service
	Connect   *connect.Service
	SES       *sesv2.Service
}

// New builds an empty emulator.
func New(opts Options) *Emulator {
	obj := s3.New()
	e := &Emulator{Pinpoint: pinpoint.New(obj), SMSVoice: smsvoice.New(), S3: obj,
		Profiles: profiles.New(), Campaigns: campaigns.New(), QConnect: qconnect.New(), Connect: connect.New(), SES: sesv2.New()}
	e.Profiles.SetObjects(obj) // upload jobs and segment snapshots use S3
	e.Server = core.NewServer(opts, e.Pinpoint, e.SMSVoice, e.S3, e.Profiles, e.Campaigns, e.QConnect, e.Connect, e.SES)
	return e
}

// Running is an emulator serving on a TCP address.
type Running struct {
	*Emulator
	URL string
	srv *http.Server
	ln  net.Listener
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background until Close.
func (e *Emulator) Start(addr string) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener closed under us; Close reports nothing more useful
		}
	}()
	return &Running{Emulator: e, URL: "http://" + ln.Addr().String(), srv: srv, ln: ln}, nil
}

// Close stops serving.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.srv.Shutdown(ctx)
}

// Serve runs until ctx ends, printing the ready line to w once listening.
func (e *Emulator) Serve(ctx context.Context, addr string, w io.Writer) error {
	r, err := e.Start(addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "listening on %s\n", r.URL)
	<-ctx.Done()
	return r.Close()
}
