"""Chat templates for models that ship none (GGUF files often carry no ``tokenizer.chat_template``).

``model.chat_template`` is one of these names or a Jinja string. Each template renders the
prompt alone (``add_generation_prompt=True``) as an exact prefix of prompt + answer, which TRL's
completion-only loss needs; :func:`manualtune.train.data.tokenize_rows` checks it per example.
"""

from __future__ import annotations

CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] | trim + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# Gemma 3 instruction template (as in google/gemma-3-*-it tokenizer_config.json, text-only): the
# system prompt is folded into the first user turn, the assistant role is called "model".
GEMMA = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] | trim + '\\n\\n' -%}"
    "{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}"
    "{%- set first_user_prefix = '' -%}"
    "{%- set loop_messages = messages -%}"
    "{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{%- endif -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') }}"
    "{{ message['content'] | trim }}"
    "{{ '<end_of_turn>\\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}"
)

NAMED_TEMPLATES = {"chatml": CHATML, "gemma": GEMMA}
END_OF_TURN = {"chatml": "<|im_end|>", "gemma": "<end_of_turn>"}


def resolve_template(value: str | None) -> str | None:
    """A built-in template's text for its name; any other string is taken as Jinja."""
    if value is None:
        return None
    return NAMED_TEMPLATES.get(value, value)
