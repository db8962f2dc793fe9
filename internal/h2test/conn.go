package h2test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

const (
	// recvWindow is the receive window offered per stream and added to the connection's.
	// It is well above the bodies the SDK's tests send, and DATA is credited back as it
	// arrives, so a larger body is slower but still arrives.
	recvWindow = 1 << 20
	// maxBody bounds how much of one request body the server keeps in memory.
	maxBody = 32 << 20
	// maxHeaderList is the SETTINGS_MAX_HEADER_LIST_SIZE offered to the client.
	maxHeaderList = 1 << 20
	// maxStreams is the SETTINGS_MAX_CONCURRENT_STREAMS offered, bounding the goroutines
	// one connection can start.
	maxStreams = 250
	// initialWindow and initialMaxFrame are the protocol defaults, in force until the
	// client's SETTINGS say otherwise (RFC 9113 section 6.5.2).
	initialWindow   = 65535
	initialMaxFrame = 16384
)

// stream is one client-initiated stream.
type stream struct {
	id  uint32
	req Request
	// received is set at END_STREAM: the request is complete and belongs to its script.
	received bool
	// done is set once nothing more may be written on the stream: the client reset it,
	// or the server finished its reply.
	done bool
	// sendWindow is the client's flow-control credit for DATA on this stream.
	sendWindow int64
}

// conn is one HTTP/2 connection. The read loop in serve owns the Framer's read side; every
// write, the HPACK encoder and all the fields below mu are guarded by mu, so frames from
// different streams never interleave mid-frame and header blocks reach the client in the
// order they were encoded, as HPACK requires.
type conn struct {
	s  *Server
	nc *tls.Conn
	n  int
	fr *http2.Framer

	mu   sync.Mutex
	cond *sync.Cond // signalled when send windows grow, a stream ends or writing stops
	// noWrite is set once the connection is closed, a write failed, or GOAWAY was sent.
	noWrite bool
	enc     *hpack.Encoder
	hbuf    bytes.Buffer
	streams map[uint32]*stream
	// lastStream is the highest stream ID the client has opened.
	lastStream        uint32
	sendWindow        int64 // the client's connection-level credit for our DATA
	peerInitialWindow int64
	peerMaxFrame      int
}

func newConn(s *Server, nc *tls.Conn, n int) *conn {
	c := &conn{
		s:                 s,
		nc:                nc,
		n:                 n,
		streams:           make(map[uint32]*stream),
		sendWindow:        initialWindow,
		peerInitialWindow: initialWindow,
		peerMaxFrame:      initialMaxFrame,
	}
	c.cond = sync.NewCond(&c.mu)
	c.enc = hpack.NewEncoder(&c.hbuf)
	c.fr = http2.NewFramer(nc, nc)
	// ReadMetaHeaders makes the Framer decode HPACK and join CONTINUATION frames onto
	// their HEADERS, so handle sees one MetaHeadersFrame per header block.
	c.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	c.fr.MaxHeaderListSize = maxHeaderList
	return c
}

// close ends the connection. The socket is closed before taking mu: tls.Conn.Close
// breaks a Write blocked on a client that stopped reading, which may hold mu.
func (c *conn) close() {
	_ = c.nc.Close()
	c.mu.Lock()
	c.noWrite = true
	c.cond.Broadcast()
	c.mu.Unlock()
}

func (c *conn) serve() {
	defer c.close()
	if err := c.nc.HandshakeContext(c.s.ctx); err != nil {
		// A client that rejects the certificate, or a Close during the handshake: the
		// client's side reports it, if it matters to the test.
		return
	}
	if p := c.nc.ConnectionState().NegotiatedProtocol; p != http2.NextProtoTLS {
		c.s.tb.Errorf("h2test: connection %d negotiated ALPN %q, not h2: the client is not configured for HTTP/2 (use Server.Client or set ForceAttemptHTTP2)", c.n, p)
		return
	}
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c.nc, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	c.mu.Lock()
	c.check(c.fr.WriteSettings(
		http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: maxStreams},
		http2.Setting{ID: http2.SettingInitialWindowSize, Val: recvWindow},
		http2.Setting{ID: http2.SettingMaxHeaderListSize, Val: maxHeaderList},
	))
	// SETTINGS raises only the per-stream windows; the connection's grows by WINDOW_UPDATE.
	c.check(c.fr.WriteWindowUpdate(0, recvWindow-initialWindow))
	c.mu.Unlock()

	// The loop ends when the client closes the connection or Close closes it: each pass
	// handles one frame or returns.
	for {
		f, err := c.fr.ReadFrame()
		var se http2.StreamError
		var ce http2.ConnectionError
		switch {
		case err == nil:
			c.handle(f)
		case errors.As(err, &se):
			// A malformed header block spoils one stream only.
			c.mu.Lock()
			c.resetLocked(se.StreamID, se.Code)
			c.mu.Unlock()
		case errors.As(err, &ce):
			c.mu.Lock()
			if !c.noWrite {
				c.check(c.fr.WriteGoAway(c.lastStream, http2.ErrCode(ce), nil))
			}
			c.mu.Unlock()
			return
		default:
			return
		}
	}
}

// check records a failed write: the connection is then useless, so it is closed, which
// also ends the read loop.
func (c *conn) check(err error) {
	if err != nil && !c.noWrite {
		c.noWrite = true
		c.cond.Broadcast()
		_ = c.nc.Close()
	}
}

func (c *conn) handle(f http2.Frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch f := f.(type) {
	case *http2.MetaHeadersFrame:
		c.headersLocked(f)
	case *http2.DataFrame:
		c.dataLocked(f)
	case *http2.SettingsFrame:
		if f.IsAck() {
			return
		}
		_ = f.ForeachSetting(func(st http2.Setting) error {
			switch st.ID {
			case http2.SettingInitialWindowSize:
				// A new initial window shifts the credit of every open stream by the
				// difference (RFC 9113 section 6.9.2).
				delta := int64(st.Val) - c.peerInitialWindow
				c.peerInitialWindow = int64(st.Val)
				for _, s := range c.streams {
					s.sendWindow += delta
				}
			case http2.SettingMaxFrameSize:
				c.peerMaxFrame = int(st.Val)
			case http2.SettingHeaderTableSize:
				c.enc.SetMaxDynamicTableSizeLimit(st.Val)
			}
			return nil
		})
		c.cond.Broadcast()
		if !c.noWrite {
			c.check(c.fr.WriteSettingsAck())
		}
	case *http2.WindowUpdateFrame:
		if f.StreamID == 0 {
			c.sendWindow += int64(f.Increment)
		} else if s := c.streams[f.StreamID]; s != nil {
			s.sendWindow += int64(f.Increment)
		}
		c.cond.Broadcast()
	case *http2.PingFrame:
		if !f.IsAck() && !c.noWrite {
			c.check(c.fr.WritePing(true, f.Data))
		}
	case *http2.RSTStreamFrame:
		if s := c.streams[f.StreamID]; s != nil {
			s.done = true
			delete(c.streams, f.StreamID)
			c.cond.Broadcast()
		}
	}
	// GOAWAY from the client needs nothing: it opens no more streams and closes the
	// connection when its open ones end. PRIORITY and unknown frames are ignorable.
}

func (c *conn) headersLocked(f *http2.MetaHeadersFrame) {
	id := f.StreamID
	if s := c.streams[id]; s != nil {
		// A second header block on an open stream carries trailers, and must end it.
		if s.received || !f.StreamEnded() {
			c.resetLocked(id, http2.ErrCodeStreamClosed)
			return
		}
		addFields(s.req.Header, f.RegularFields())
		c.completeLocked(s)
		return
	}
	if id%2 == 0 || id <= c.lastStream {
		// Clients open odd, ever larger stream IDs; anything else names a stream that is
		// already closed (RFC 9113 section 5.1.1).
		c.resetLocked(id, http2.ErrCodeStreamClosed)
		return
	}
	c.lastStream = id
	if f.Truncated {
		// The client ignored SETTINGS_MAX_HEADER_LIST_SIZE. INTERNAL_ERROR, because
		// PROTOCOL_ERROR or REFUSED_STREAM would make Go's transport replay the request.
		c.s.tb.Errorf("h2test: stream %d: header list above %d bytes", id, maxHeaderList)
		c.resetLocked(id, http2.ErrCodeInternal)
		return
	}
	if len(c.streams) >= maxStreams {
		// Beyond the advertised limit: REFUSED_STREAM is what RFC 9113 prescribes.
		c.resetLocked(id, http2.ErrCodeRefusedStream)
		return
	}
	s := &stream{
		id: id,
		req: Request{
			Method:    f.PseudoValue("method"),
			Path:      f.PseudoValue("path"),
			Authority: f.PseudoValue("authority"),
			Header:    make(http.Header),
			Conn:      c.n,
			StreamID:  id,
		},
		sendWindow: c.peerInitialWindow,
	}
	addFields(s.req.Header, f.RegularFields())
	c.streams[id] = s
	if f.StreamEnded() {
		c.completeLocked(s)
	}
}

func addFields(h http.Header, fields []hpack.HeaderField) {
	for _, hf := range fields {
		h.Add(hf.Name, hf.Value) // Add canonicalizes the lower-case wire name
	}
}

func (c *conn) dataLocked(f *http2.DataFrame) {
	// Flow control counts the whole payload, padding included, and the connection's
	// credit is owed back even for a stream that is gone.
	n := f.Length
	if n > 0 && !c.noWrite {
		c.check(c.fr.WriteWindowUpdate(0, n))
	}
	s := c.streams[f.StreamID]
	if s == nil || s.received {
		return
	}
	if len(s.req.Body)+len(f.Data()) > maxBody {
		c.s.tb.Errorf("h2test: stream %d: request body above %d bytes", s.id, maxBody)
		c.resetLocked(s.id, http2.ErrCodeInternal)
		return
	}
	// The Framer reuses its buffer on the next read, so the data is copied.
	s.req.Body = append(s.req.Body, f.Data()...)
	if f.StreamEnded() {
		c.completeLocked(s)
		return
	}
	if n > 0 && !c.noWrite {
		c.check(c.fr.WriteWindowUpdate(s.id, n))
	}
}

// completeLocked hands a fully received request to the script on its own goroutine, so a
// script that holds its reply back blocks neither the connection nor other streams.
func (c *conn) completeLocked(s *stream) {
	s.received = true
	n := c.s.record(s.req)
	// The script gets its own copy, so nothing it changes shows in Requests.
	r := s.req
	r.Header = s.req.Header.Clone()
	r.Body = bytes.Clone(s.req.Body)
	c.s.wg.Add(1)
	go c.reply(s, n, r)
}

func (c *conn) reply(s *stream, n int, r Request) {
	defer c.s.wg.Done()
	rep, ok := c.s.run(n, r)
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.finishLocked(s)
	if ok {
		ok = c.validate(n, rep)
	}
	switch {
	case !ok:
		c.resetLocked(s.id, http2.ErrCodeInternal)
	case rep.Reset != http2.ErrCodeNo:
		c.resetLocked(s.id, rep.Reset)
	case rep.GoAway:
		c.goAwayLocked(s.id)
	default:
		c.respondLocked(s, rep)
	}
}

// validate reports a Reply that asks for contradictory things.
func (c *conn) validate(n int, rep Reply) bool {
	set := 0
	for _, b := range []bool{rep.Reset != http2.ErrCodeNo, rep.GoAway, rep.CutAfter > 0} {
		if b {
			set++
		}
	}
	switch {
	case set > 1:
		c.s.tb.Errorf("h2test: reply to request %d sets more than one of Reset, GoAway and CutAfter", n)
		return false
	case rep.CutAfter < 0 || (rep.CutAfter > 0 && rep.CutAfter >= len(rep.Body)):
		c.s.tb.Errorf("h2test: reply to request %d: CutAfter %d is not within the %d-byte body", n, rep.CutAfter, len(rep.Body))
		return false
	}
	return true
}

func (c *conn) finishLocked(s *stream) {
	if c.streams[s.id] == s {
		delete(c.streams, s.id)
	}
	s.done = true
}

// resetLocked sends RST_STREAM, unless the stream is already finished or the connection
// can take no more frames. A stream still being received is forgotten at once; one whose
// script is running is forgotten by finishLocked when the script returns.
func (c *conn) resetLocked(id uint32, code http2.ErrCode) {
	if s := c.streams[id]; s != nil {
		if s.done {
			return
		}
		s.done = true
		if !s.received {
			delete(c.streams, id)
		}
	}
	if !c.noWrite {
		c.check(c.fr.WriteRSTStream(id, code))
	}
}

// goAwayLocked tells the client, falsely, that stream id was never processed, then stops
// writing. It half-closes rather than closes: a close with client frames still unread
// can make the kernel send a TCP RST that destroys the GOAWAY before the client reads it.
// The client answers the half-close by closing, which ends the read loop.
func (c *conn) goAwayLocked(id uint32) {
	if c.noWrite {
		return
	}
	last := uint32(0)
	if id > 2 {
		last = id - 2
	}
	c.check(c.fr.WriteGoAway(last, http2.ErrCodeNo, []byte("h2test: Reply.GoAway")))
	if !c.noWrite {
		c.noWrite = true
		c.cond.Broadcast()
		_ = c.nc.CloseWrite()
	}
}

func (c *conn) respondLocked(s *stream, rep Reply) {
	if s.done || c.noWrite {
		return
	}
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	c.hbuf.Reset()
	_ = c.enc.WriteField(hpack.HeaderField{Name: ":status", Value: strconv.Itoa(status)})
	for name, values := range rep.Header {
		for _, v := range values {
			// HTTP/2 field names are lower case (RFC 9113 section 8.2.1).
			_ = c.enc.WriteField(hpack.HeaderField{Name: strings.ToLower(name), Value: v})
		}
	}
	if len(rep.Header.Values("Content-Length")) == 0 {
		_ = c.enc.WriteField(hpack.HeaderField{Name: "content-length", Value: strconv.Itoa(len(rep.Body))})
	}
	body, cut := rep.Body, rep.CutAfter > 0
	if cut {
		body = body[:rep.CutAfter]
	}
	c.writeHeaderBlockLocked(s.id, len(body) == 0)
	if !c.writeDataLocked(s, body, !cut) {
		return
	}
	if cut {
		c.resetLocked(s.id, http2.ErrCodeInternal)
	}
}

// writeHeaderBlockLocked sends the block in hbuf as HEADERS and as many CONTINUATION
// frames as the client's SETTINGS_MAX_FRAME_SIZE requires.
func (c *conn) writeHeaderBlockLocked(id uint32, endStream bool) {
	block := c.hbuf.Bytes()
	first := block[:min(len(block), c.peerMaxFrame)]
	rest := block[len(first):]
	c.check(c.fr.WriteHeaders(http2.HeadersFrameParam{
		StreamID:      id,
		BlockFragment: first,
		EndStream:     endStream,
		EndHeaders:    len(rest) == 0,
	}))
	// Each pass sends at least one byte of the block, so the loop ends.
	for len(rest) > 0 && !c.noWrite {
		frag := rest[:min(len(rest), c.peerMaxFrame)]
		rest = rest[len(frag):]
		c.check(c.fr.WriteContinuation(id, len(rest) == 0, frag))
	}
}

// writeDataLocked sends body as DATA within the client's flow-control windows, waiting for
// WINDOW_UPDATE as needed; the last frame ends the stream if endStream. It reports whether
// all of body was sent.
func (c *conn) writeDataLocked(s *stream, body []byte, endStream bool) bool {
	// Each pass sends at least one byte, or returns once the stream or connection ends.
	for len(body) > 0 {
		for !c.noWrite && !s.done && (c.sendWindow <= 0 || s.sendWindow <= 0) {
			c.cond.Wait()
		}
		if c.noWrite || s.done {
			return false
		}
		k := int(min(int64(len(body)), int64(c.peerMaxFrame), c.sendWindow, s.sendWindow))
		c.sendWindow -= int64(k)
		s.sendWindow -= int64(k)
		chunk := body[:k]
		body = body[k:]
		c.check(c.fr.WriteData(s.id, endStream && len(body) == 0, chunk))
	}
	return !c.noWrite
}
