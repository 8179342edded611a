"""The peer side of PeerBenchmark: Hugging Face transformers + PEFT on the model folder and token ids that the Java
benchmark wrote, with the same shapes, LoRA settings, optimizer and thread count. Prints one line
`PEER {json}` per measurement; PeerBenchmark parses it and prints the side-by-side table.

  python peer_benchmark.py train --model DIR --data data.json [--precision float32|bf16-autocast|bf16-weights]
                                 [--flush-denormal]
  python peer_benchmark.py generate --model DIR --data data.json --batch 1|8 [--new-tokens 128] [--precision float32|bfloat16]
  python peer_benchmark.py capability [--require MODULE]

data.json: {"batches": [[[ids of one sequence], ...] per step], "prompts": [[ids], ...]}. The first step is a
warm-up; the rest are timed. Training follows HF Trainer on a CPU: bf16 autocast is what `bf16=True` does there.
bf16-weights loads the base in bf16 (`dtype=torch.bfloat16`; PEFT keeps the adapter in float32) and trains under the
same autocast: no per-step cast of float32 base weights, the peer's fastest CPU setting. Generation in bfloat16 loads
the model in bf16, the usual way to serve on such a CPU.
"""
import argparse
import contextlib
import json
import sys
import time

import torch


def capability():
    bf16 = False
    try:
        bf16 = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # older or unusual builds: no bf16 autocast row
        pass
    return {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "bf16_supported": bf16}


def emit(**row):
    print("PEER " + json.dumps(row), flush=True)


def load(path, dtype=torch.float32):
    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    model.config.use_cache = False
    return model


def train(args, data):
    import peft
    import transformers
    model = load(args.model, torch.bfloat16 if args.precision == "bf16-weights" else torch.float32)
    config = peft.LoraConfig(r=args.rank, lora_alpha=args.alpha, lora_dropout=args.dropout,
                             target_modules="all-linear", task_type="CAUSAL_LM")
    model = peft.get_peft_model(model, config)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    steps = len(data["batches"])
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / steps))
    autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if args.precision in ("bf16-autocast", "bf16-weights")
                else contextlib.nullcontext())
    seconds = []
    tokens = 0
    for batch in data["batches"]:
        ids = torch.tensor(batch, dtype=torch.long)
        labels = ids.clone()
        labels[:, 0] = -100
        start = time.perf_counter()
        with autocast:
            loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        seconds.append(time.perf_counter() - start)
        tokens = ids.numel()
    timed = seconds[1:]
    mean = sum(timed) / len(timed)
    emit(mode="train", precision=args.precision, flush_denormal=args.flush_denormal, warmup_s=seconds[0],
         step_s=timed, mean_s=mean, tokens_per_s=tokens / mean, loss=float(loss), transformers=transformers.__version__,
         peft=peft.__version__, **capability())


def generate(args, data):
    import transformers
    model = load(args.model, torch.bfloat16 if args.precision == "bfloat16" else torch.float32)
    model.config.use_cache = True
    model.generation_config.eos_token_id = None
    model.eval()
    prompts = torch.tensor(data["prompts"][:args.batch], dtype=torch.long)
    mask = torch.ones_like(prompts)
    common = dict(attention_mask=mask, do_sample=False, pad_token_id=0, use_cache=True)
    with torch.inference_mode():
        model.generate(prompts, max_new_tokens=4, min_new_tokens=4, **common)
        start = time.perf_counter()
        out = model.generate(prompts, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, **common)
        seconds = time.perf_counter() - start
    new = out.shape[1] - prompts.shape[1]
    emit(mode="generate", precision=args.precision, batch=args.batch, new_tokens=new, seconds=seconds,
         tokens_per_s=args.batch * new / seconds, transformers=transformers.__version__, **capability())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["train", "generate", "capability"])
    parser.add_argument("--model")
    parser.add_argument("--data")
    parser.add_argument("--precision", choices=["float32", "bf16-autocast", "bf16-weights", "bfloat16"], default="float32")
    parser.add_argument("--flush-denormal", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--alpha", type=int, default=32)
    parser.add_argument("--dropout", type=float, default=0.05)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--require", action="append", default=[], help="fail unless this module imports")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        sys.exit("torch.set_flush_denormal(True) is not supported on this CPU")
    for module in args.require:
        try:
            __import__(module)
        except ImportError as e:
            sys.exit(f"{module} is not installed here: {e}")
    if args.mode == "capability":
        emit(mode="capability", **capability())
        return
    with open(args.data) as f:
        data = json.load(f)
    if args.precision != "float32" and not capability()["bf16_supported"]:
        sys.exit("this CPU has no bf16 support in oneDNN; no bf16 row")
    if args.mode == "train":
        if args.precision == "bfloat16":
            sys.exit("training in bf16 is measured under bf16 autocast (--precision bf16-autocast)")
            sys.exit("this CPU has no bf16 support in oneDNN; no bf16 autocast row")
        train(args, data)
    else:
        generate(args, data)


if __name__ == "__main__":
    main()
