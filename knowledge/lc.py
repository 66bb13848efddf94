"""The hybrid retriever as a LangChain `BaseRetriever`, for reuse in LangChain pipelines."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.retriever import HybridRetriever


class StatuteRetriever(BaseRetriever):
    """Returns provisions as Documents: the verbatim quote plus act/article/point metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: HybridRetriever
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        search = self.retriever.search(query, self.k)
        titles = {a.meta.id: a.meta.title for a in self.retriever.kb.acts}
        return [
            Document(
                page_content=hit.chunk.quote,
                id=hit.chunk.key,
                metadata={
                    "act": titles[hit.chunk.act_id],
                    "article": hit.chunk.citation.article,
                    "paragraph": hit.chunk.citation.paragraph,
                    "subparagraph": hit.chunk.citation.subparagraph,
                    "heading": hit.chunk.heading,
                    "score": hit.score,
                },
            )
            for hit in search.hits
        ]
