# bnn-hdl: every target depends on `deps`, so a fresh clone needs no manual step.
CONFIG ?= Release
CLI     = dotnet generator/BnnHdl.Cli/bin/$(CONFIG)/net10.0/bnn-hdl.dll
MODEL  ?= dense-mix
ENGINE ?= --pe 64 --lanes 64
SEED   ?= 1

.PHONY: deps build run test bench clean

deps:
	@scripts/install-deps.sh

build: deps
	dotnet build bnn-hdl.sln -c $(CONFIG) --nologo -v q --no-restore

# The main job on the default model: describe it, export its golden set, generate its
# engine (RTL, images, filelist, core) and co-simulate it in Verilator against the reference.
run: build
	$(CLI) describe --model $(MODEL)
	$(CLI) golden --model $(MODEL) --seed $(SEED) --out golden/$(MODEL)
	$(CLI) generate --model $(MODEL) --seed $(SEED) $(ENGINE) --out rtl-out/$(MODEL)
	$(CLI) cosim --model $(MODEL) --seed $(SEED) $(ENGINE) --rtl rtl-out/$(MODEL)

test: build
	CONFIG=$(CONFIG) scripts/test.sh

bench: build
	dotnet run -c $(CONFIG) --project tests/BnnHdl.Benchmarks --no-restore -- --filter '*'

clean:
	dotnet clean bnn-hdl.sln --nologo -v q
	rm -rf rtl-out/*/ golden/*/
