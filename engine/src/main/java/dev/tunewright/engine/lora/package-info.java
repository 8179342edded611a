/**
 * LoRA adapters in PEFT's layout: attach to a loaded model for training or inference
 * ({@link dev.tunewright.engine.lora.LoraAdapters}), save and load {@code adapter_config.json} +
 * {@code adapter_model.safetensors} that Hugging Face PEFT and vLLM load unchanged, and merge an adapter
 * into a full model folder. The base model is never modified in place and never receives gradients.
 */
package dev.tunewright.engine.lora;
