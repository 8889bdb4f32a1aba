from pathlib import Path

from genkit.ai import Genkit

ai = Genkit(prompt_dir=Path(__file__).resolve().parent / 'llm')
