// Temporary stub so the manifest loads; replaced by the module's real sources.
