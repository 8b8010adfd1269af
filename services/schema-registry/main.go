// Command schema-registry serves Conduit's Confluent-API-compatible schema registry
// (github.com/conduitio/conduit-schema-registry) on 127.0.0.1 for Sluice's tests and demo,
// with its schemas kept in a Badger database so ids survive a restart.
//
//	schema-registry -addr 127.0.0.1:18081 -data .services/schema-registry/data
package main

import (
	"flag"
	"log/slog"
	"net/http"
	"os"

	"github.com/conduitio/conduit-commons/database/badger"
	schemaregistry "github.com/conduitio/conduit-schema-registry"
	"github.com/rs/zerolog"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	data := flag.String("data", "data", "folder of the registry's database")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	db, err := badger.New(zerolog.New(os.Stderr).Level(zerolog.WarnLevel), *data)
	if err != nil {
		logger.Error("open database", "err", err)
		os.Exit(1)
	}
	registry, err := schemaregistry.NewSchemaRegistry(db)
	if err != nil {
		logger.Error("load registry", "err", err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	schemaregistry.NewServer(logger, registry).RegisterHandlers(mux)
	logger.Warn("schema registry listening", "addr", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil {
		logger.Error("serve", "err", err)
		os.Exit(1)
	}
}
