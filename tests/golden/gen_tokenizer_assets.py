"""Builds the tiny tokenizers that cmd/mkcheckpoint puts into test checkpoints.

No model hub is reachable, so we train small BPE tokenizers with HF `tokenizers`
on text every Python install has (its licence and the standard library's
docstrings) plus sentences in many scripts, and give them the exact shapes the
real families use:

  llama3: byte-level BPE, Llama 3 split regex (digits in groups of 1-3),
          ignore_merges, <|begin_of_text|> prepended by the post-processor.
  qwen2:  byte-level BPE, Qwen2 split regex (single digits), NFC normalizer,
          no BOS.
  gemma:  SentencePiece-style BPE: spaces normalized to U+2581, byte fallback
          tokens <0x00>..<0xFF>, <bos> prepended, Replace/ByteFallback/Fuse
          decoder.

Each family also gets a tokenizer_config.json whose chat_template has the
shape of the real model's template. The output is committed; rerun with
  .venv/bin/python tests/golden/gen_tokenizer_assets.py
"""

import inspect
import json
import os
import sysconfig

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "models", "checkpoint", "assets")

LLAMA3_SPLIT = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_SPLIT = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

MULTILINGUAL = [
    "The quick brown fox jumps over the lazy dog.",
    "Der schnelle braune Fuchs springt über den faulen Hund. Größe, Maß, Straße.",
    "Le vif renard brun saute par-dessus le chien paresseux. Où est l'élève ?",
    "El rápido zorro marrón salta sobre el perro perezoso. ¿Dónde está? ¡Olé!",
    "Быстрая коричневая лиса прыгает через ленивую собаку. Съешь же ещё этих булок.",
    "Γρήγορη καφέ αλεπού πηδά πάνω από το τεμπέλικο σκυλί.",
    "敏捷的棕色狐狸跳过了懒狗。我们今天学习机器学习和自然语言处理。",
    "素早い茶色の狐がのろまな犬を飛び越える。ひらがなとカタカナと漢字。",
    "빠른 갈색 여우가 게으른 개를 뛰어넘는다. 안녕하세요, 세계!",
    "संस्कृतम् हिन्दी भाषा में लिखा गया वाक्य। नमस्ते दुनिया।",
    "الثعلب البني السريع يقفز فوق الكلب الكسول. مرحبا بالعالم",
    "השועל החום המהיר קופץ מעל הכלב העצלן. שלום עולם",
    "จิ้งจอกสีน้ำตาลกระโดดข้ามสุนัขขี้เกียจ สวัสดีชาวโลก",
    "Tiếng Việt có dấu: Chào thế giới, học máy rất thú vị.",
    "def main():\n    for i in range(10):\n        print(f\"{i:03d}\", i ** 2)\n",
    "func main() {\n\tfmt.Println(\"hello\", 12345, 3.14159)\n}\n",
    "Numbers 0 1 12 123 1234 12345 2026-11-25 3.14159 1e-5 0x1F -42 100%",
    "I'm sure you'll see they've done what we'd said, it's ours; DON'T, I'LL, WE'RE.",
]


def training_text():
    stdlib = sysconfig.get_paths()["stdlib"]
    with open(os.path.join(stdlib, "LICENSE.txt"), encoding="utf-8") as f:
        yield f.read()
    import collections, json as j, os as o, re, string, textwrap, unicodedata, itertools, functools
    for mod in (collections, j, o, re, string, textwrap, unicodedata, itertools, functools, inspect):
        for name, obj in sorted(vars(mod).items()):
            doc = inspect.getdoc(obj) if not name.startswith("_") else None
            if doc:
                yield doc
    for _ in range(20):
        yield from MULTILINGUAL


def save(name, tok_json, config):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok_json, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(d, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
        f.write("\n")


def byte_level(split, specials, vocab_size, normalizer=None, bos=None):
    tok = Tokenizer(models.BPE(ignore_merges=bos is not None))
    if normalizer is not None:
        tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(split), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(training_text(), trainer)
    tok.add_special_tokens(specials)
    post = [processors.ByteLevel(trim_offsets=False)]
    if bos is not None:
        bos_id = tok.token_to_id(bos)
        post.append(processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B",
                                                  special_tokens=[(bos, bos_id)]))
    tok.post_processor = processors.Sequence(post)
    return json.loads(tok.to_str())


def gemma():
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>", "<start_of_image>"]
    byte_tokens = ["<0x%02X>" % b for b in range(256)]
    tok = Tokenizer(models.BPE(byte_fallback=True, unk_token="<unk>", fuse_unk=True))
    tok.normalizer = normalizers.Replace(" ", "\u2581")
    tok.pre_tokenizer = pre_tokenizers.Split(" ", behavior="merged_with_previous", invert=False)
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse()])
    trainer = trainers.BpeTrainer(vocab_size=1400, special_tokens=specials + byte_tokens, limit_alphabet=160,
                                  max_token_length=16, show_progress=False)
    # Without a splitting pre-tokenizer every text is one "word": train on
    # lines so the trainer sees many words.
    lines = [line for text in training_text() for line in text.splitlines(keepends=True) if line.strip()]
    tok.train_from_iterator(lines, trainer)
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", pair="<bos> $A <bos> $B",
                                                       special_tokens=[("<bos>", tok.token_to_id("<bos>"))])
    out = json.loads(tok.to_str())
    # Byte tokens are ordinary vocabulary entries (as in Gemma), not added
    # tokens matched in the input text.
    out["added_tokens"] = [t for t in out["added_tokens"] if t["content"] not in byte_tokens]
    return out


LLAMA3_TEMPLATE = (
    "{%- set loop_messages = messages -%}\n"
    "{%- for message in loop_messages -%}\n"
    "{%- set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' -%}\n"
    "{%- if loop.index0 == 0 -%}{%- set content = bos_token + content -%}{%- endif -%}\n"
    "{{- content -}}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}{%- endif -%}\n"
)

QWEN2_TEMPLATE = (
    "{%- if tools %}\n"
    "    {{- '<|im_start|>system\\n' }}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n"
    "    {%- else %}\n"
    "        {{- 'You are a helpful assistant.' }}\n"
    "    {%- endif %}\n"
    "    {{- \"\\n\\n# Tools\\n\\n<tools>\" }}\n"
    "    {%- for tool in tools %}\n"
    "        {{- \"\\n\" }}\n"
    "        {{- tool | tojson }}\n"
    "    {%- endfor %}\n"
    "    {{- \"\\n</tools><|im_end|>\\n\" }}\n"
    "{%- else %}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
    "    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n"
    "{%- endif %}\n"
    "{%- for message in messages %}\n"
    "    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or (message.role == \"assistant\") %}\n"
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"tool\" %}\n"
    "        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n"
    "            {{- '<|im_start|>user' }}\n"
    "        {%- endif %}\n"
    "        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n"
    "        {{- '\\n</tool_response>' }}\n"
    "        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n"
    "            {{- '<|im_end|>\\n' }}\n"
    "        {%- endif %}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n"
)

GEMMA3_TEMPLATE = (
    "{{ bos_token }}\n"
    "{%- if messages[0]['role'] == 'system' -%}\n"
    "    {%- if messages[0]['content'] is string -%}\n"
    "        {%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}\n"
    "    {%- else -%}\n"
    "        {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\\n\\n' -%}\n"
    "    {%- endif -%}\n"
    "    {%- set loop_messages = messages[1:] -%}\n"
    "{%- else -%}\n"
    "    {%- set first_user_prefix = \"\" -%}\n"
    "    {%- set loop_messages = messages -%}\n"
    "{%- endif -%}\n"
    "{%- for message in loop_messages -%}\n"
    "    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}\n"
    "        {{ raise_exception(\"Conversation roles must alternate user/assistant/user/assistant/...\") }}\n"
    "    {%- endif -%}\n"
    "    {%- if (message['role'] == 'assistant') -%}\n"
    "        {%- set role = \"model\" -%}\n"
    "    {%- else -%}\n"
    "        {%- set role = message['role'] -%}\n"
    "    {%- endif -%}\n"
    "    {{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else \"\") }}\n"
    "    {%- if message['content'] is string -%}\n"
    "        {{ message['content'] | trim }}\n"
    "    {%- elif message['content'] is iterable -%}\n"
    "        {%- for item in message['content'] -%}\n"
    "            {%- if item['type'] == 'image' -%}\n"
    "                {{ '<start_of_image>' }}\n"
    "            {%- elif item['type'] == 'text' -%}\n"
    "                {{ item['text'] | trim }}\n"
    "            {%- endif -%}\n"
    "        {%- endfor -%}\n"
    "    {%- else -%}\n"
    "        {{ raise_exception(\"Invalid content type\") }}\n"
    "    {%- endif -%}\n"
    "    {{ '<end_of_turn>\\n' }}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}\n"
    "    {{'<start_of_turn>model\\n'}}\n"
    "{%- endif -%}\n"
)


def config(bos, eos, template, pad=None, unk=None, add_bos=None):
    c = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 8192, "clean_up_tokenization_spaces": False,
         "bos_token": bos, "eos_token": eos, "chat_template": template}
    if pad:
        c["pad_token"] = pad
    if unk:
        c["unk_token"] = unk
    if add_bos is not None:
        c["add_bos_token"] = add_bos
    return c


def main():
    llama_specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    save("llama3", byte_level(LLAMA3_SPLIT, llama_specials, 1500, bos="<|begin_of_text|>"),
         config("<|begin_of_text|>", "<|eot_id|>", LLAMA3_TEMPLATE))
    qwen_specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    save("qwen2", byte_level(QWEN2_SPLIT, qwen_specials, 1500, normalizer=normalizers.NFC()),
         config(None, "<|im_end|>", QWEN2_TEMPLATE, pad="<|endoftext|>"))
    save("gemma", gemma(), config("<bos>", "<eos>", GEMMA3_TEMPLATE, pad="<pad>", unk="<unk>", add_bos=True))


if __name__ == "__main__":
    main()
