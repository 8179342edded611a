"""Checks tunewright's adapters against Hugging Face PEFT itself (run by PeftInteropTest, not by hand).

score BASE ADAPTER SEQUENCES OUT [MODEL ...]: load BASE with transformers and ADAPTER with
    PeftModel.from_pretrained, write the log-probabilities of SEQUENCES with the adapter applied and after
    merge_and_unload, and those of each further MODEL folder (e.g. merged ones) loaded by transformers alone.
write BASE ADAPTER SEQUENCES OUT: create a LoRA adapter with PEFT (random A and B, all linear layers, rsLoRA off),
    save it with save_pretrained to ADAPTER and write the log-probabilities it gives.
"""
import json
import sys

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM


def log_probs(model, sequences):
    out = []
    with torch.no_grad():
        for ids in sequences:
            x = torch.tensor([ids])
            logits = model(input_ids=x).logits.float()
            lp = torch.log_softmax(logits[0, :-1], dim=-1)
            picked = lp.gather(-1, x[0, 1:].unsqueeze(-1)).squeeze(-1)
            out.append(picked.tolist())
    return out


def load_base(path):
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    return model


def main():
    mode, base, adapter, sequences_file, out_file = sys.argv[1:6]
    models = sys.argv[6:]
    with open(sequences_file) as f:
        sequences = json.load(f)
    torch.manual_seed(0)
    result = {"peft": __import__("peft").__version__, "transformers": __import__("transformers").__version__}
    if mode == "score":
        model = PeftModel.from_pretrained(load_base(base), adapter)
        model.eval()
        result["adapter"] = log_probs(model, sequences)
        result["merged"] = log_probs(model.merge_and_unload(), sequences)
        result["models"] = [log_probs(load_base(m), sequences) for m in models]
    elif mode == "write":
        config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules="all-linear",
                            init_lora_weights=False, task_type="CAUSAL_LM")
        model = get_peft_model(load_base(base), config)
        model.eval()
        model.save_pretrained(adapter)
        result["adapter"] = log_probs(model, sequences)
    else:
        raise SystemExit("mode must be score or write, was " + mode)
    with open(out_file, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
