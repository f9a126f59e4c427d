// gofcgi: a tiny net/http/fcgi responder (Go standard library only) used to
// record go-multiplex.pcap.  Go's FastCGI child supports multiplexing: every
// request on a connection is served by its own goroutine, so responses to
// interleaved requests come back in completion order.
//
//	go build -o gofcgi main.go && ./gofcgi -listen 127.0.0.1:9004
//
// Query parameters: sleep=<milliseconds> (delay before answering), name=<s>.
// POST bodies are read and their length is reported.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/fcgi"
	"strconv"
	"time"
)

func handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ms, _ := strconv.Atoi(r.URL.Query().Get("sleep"))
	if ms > 0 && ms < 10000 {
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "world"
	}
	// Fixed Date so re-recorded captures only differ in TCP details.
	w.Header().Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Slept-Ms", strconv.Itoa(ms))
	fmt.Fprintf(w, "hello %s from Go net/http/fcgi\n", name)
	fmt.Fprintf(w, "method=%s uri=%s body=%d bytes slept=%dms\n",
		r.Method, r.URL.RequestURI(), len(body), ms)
}

func main() {
	addr := flag.String("listen", "127.0.0.1:9004", "TCP address to listen on")
	flag.Parse()
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("gofcgi listening on %s", *addr)
	log.Fatal(fcgi.Serve(l, http.HandlerFunc(handler)))
}
