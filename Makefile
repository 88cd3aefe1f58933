# bnn-hdl: every target depends on `deps`, so a fresh clone needs no manual step.
CONFIG ?= Release
CLI     = dotnet generator/BnnHdl.Cli/bin/$(CONFIG)/net10.0/bnn-hdl.dll
MODEL  ?= mscan-t-sparseinst
ENGINE ?= --pe 64 --lanes 64 --segments 16 --banks 32
SEED   ?= 1
# The co-simulation runs in parts, one simulator process per core at a time; parts of equal
# cycles simulate at different speeds, and 8 of them keep both cores of a 2-core machine
# busy to the end (docs/engine.md "Split runs").
PARTS  ?= 8
# Models with SparseInst heads also decode the RTL's outputs into instances.
DECODE  = $(if $(findstring sparseinst,$(MODEL)),--decode rtl-out/$(MODEL).instances)

.PHONY: deps build run test bench clean

deps:
	@scripts/install-deps.sh

build: deps
	dotnet build bnn-hdl.sln -c $(CONFIG) --nologo -v q --no-restore

# The main job on the default model (MSCAN-T + SparseInst at 3x256x256): export its golden
# set, generate its engine (RTL, images, filelist, core) and print the engine summary, then
# co-simulate the whole network in Verilator against the reference (every layer bit for bit
# and cycle for cycle), decode the RTL's outputs, and end with every layer's verdict.
run: build
	$(CLI) golden --model $(MODEL) --seed $(SEED) --out golden/$(MODEL)
	$(CLI) generate --model $(MODEL) --seed $(SEED) $(ENGINE) --out rtl-out/$(MODEL)
	$(CLI) cosim --model $(MODEL) --seed $(SEED) $(ENGINE) --parts $(PARTS) --rtl rtl-out/$(MODEL) $(DECODE)

test: build
	CONFIG=$(CONFIG) scripts/test.sh

bench: build
	dotnet run -c $(CONFIG) --project tests/BnnHdl.Benchmarks --no-restore -- --filter '*'

clean:
	dotnet clean bnn-hdl.sln --nologo -v q
	rm -rf rtl-out/*/ golden/*/
