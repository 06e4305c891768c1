// Checks azurite independently of the module, with Azure's own client library:
//   node azure-admin.js create <blobEndpoint> <container>     create a private container
//   node azure-admin.js list   <blobEndpoint> <container>     print the blob names as a JSON array
//   node azure-admin.js put    <blobEndpoint> <container> <name>   write a small blob (a leftover of a "killed run")
// The account is azurite's well-known development account.
const { BlobServiceClient, StorageSharedKeyCredential } = require('@azure/storage-blob');
const account = 'devstoreaccount1';
const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
(async () => {
  const [command, endpoint, container, name] = process.argv.slice(2);
  const service = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(account, key));
  const client = service.getContainerClient(container);
  if (command === 'create') {
    await client.createIfNotExists();
    console.log('[]');
  } else if (command === 'list') {
    const names = [];
    for await (const blob of client.listBlobsFlat()) names.push(blob.name);
    console.log(JSON.stringify(names));
  } else if (command === 'put') {
    await client.getBlockBlobClient(name).upload('x', 1);
    console.log('[]');
  } else {
    throw new Error('unknown command ' + command);
  }
})().catch(e => { console.error(e.message); process.exit(1); });
