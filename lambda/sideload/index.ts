/** Sideload handler (work in progress): S3 events → EFS. */
export async function handler(event: unknown): Promise<unknown> {
    void event;
    return { records: 0 };
}
